"""Leaders' visits to towns and enterprises."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.scoping import towns_for_viewer
from linju.core.errors import DomainError, NotFound
from linju.jobs.selectors import employers_for_viewer

from ..models import LeaderVisit

if TYPE_CHECKING:
    from linju.accounts.models import User


@transaction.atomic(durable=True)
def leader_visit_record(
    *,
    actor: User,
    kind: str,
    day: datetime.date,
    town_code: str,
    findings: str,
    enterprise: str = "",
    follow_up: str = "",
    follow_up_due: datetime.date | None = None,
    employer_id: int | None = None,
) -> LeaderVisit:
    """A leader's visit. A visit to an employer on record links its findings (recruiting trouble,
    say) to that employer, so the jobs pages show them beside its unfilled vacancies."""
    require(actor, "outreach.leader_visit")
    town = towns_for_viewer(actor).filter(code=town_code).first()
    if town is None:
        raise NotFound(_("No such town in your bureau."), field="town_code")
    if kind not in LeaderVisit.Kind.values:
        raise DomainError(_("Say whether a town or an enterprise was visited."), field="kind")
    employer = None
    if employer_id:
        employer = employers_for_viewer(actor).filter(pk=employer_id).first()
        if employer is None:
            raise NotFound(_("No such employer."), field="employer_id")
        enterprise = enterprise.strip() or employer.name
    if kind == LeaderVisit.Kind.ENTERPRISE and not enterprise.strip():
        raise DomainError(_("Name the enterprise."), field="enterprise")
    if not findings.strip():
        raise DomainError(_("Write what was found."), field="findings")
    if follow_up.strip() and follow_up_due is None:
        raise DomainError(_("A follow-up needs a date."), field="follow_up_due")
    return LeaderVisit.objects.create(
        leader=actor,
        kind=kind,
        date=day,
        town=town,
        enterprise=enterprise.strip(),
        employer=employer,
        findings=findings.strip(),
        follow_up=follow_up.strip(),
        follow_up_due=follow_up_due,
    )
