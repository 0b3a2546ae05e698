"""Village visits and the needs people raised on them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.accounts.models import User
from linju.cases.services import Intake, case_accept_within
from linju.catalog.models import Channel
from linju.core.errors import DomainError, NotFound
from linju.geo.models import Village
from linju.people.selectors import resident_get_for_viewer

from ..models import VisitNeed, VisitRecord
from .staff import _staff_only


@dataclass
class NeedIn:
    description: str
    outcome: str
    due_date: datetime.date | None = None
    resident_id: int | None = None
    item_code: str = ""


MAX_HOUSEHOLDS_MET = 1000


@transaction.atomic(durable=True)
def visit_record(
    *,
    actor: User,
    village_code: str,
    day: datetime.date,
    cadre_ids: list[int],
    households_met: int = 0,
    notes: str = "",
    needs: list[NeedIn] | None = None,
    idempotency_key: str = "",
) -> VisitRecord:
    """A village visit with what people raised; a need 'turned into a case' is taken there and then.
    Recorded offline by the field app, it comes with its key: sent twice, recorded once."""
    _staff_only(actor)
    village = Village.objects.select_related("town").visible_to(actor).filter(code=village_code).first()
    if village is None:
        raise NotFound(_("No such village among the towns you serve."), field="village_code")
    if day > timezone.localdate():
        raise DomainError(_("A visit is recorded after it happened."), field="date")
    if not 0 <= households_met <= MAX_HOUSEHOLDS_MET:
        raise DomainError(_("Households met: a number from 0 to 1,000."), field="households_met")
    key = idempotency_key.strip()[:80] or None
    if key is not None:
        again = VisitRecord.objects.filter(bureau_id=village.town.bureau_id, idempotency_key=key).first()
        if again is not None:
            return again
    cadres = list(User.objects.filter(pk__in=cadre_ids or [actor.pk], is_active=True))
    try:
        with transaction.atomic():  # a savepoint: a twin sent at the same moment may win the key
            visit = VisitRecord.objects.create(
                bureau_id=village.town.bureau_id,
                village=village,
                date=day,
                households_met=households_met,
                notes=notes.strip(),
                created_by=actor,
                idempotency_key=key,
            )
    except IntegrityError:
        if key is None:
            raise
        return VisitRecord.objects.get(bureau_id=village.town.bureau_id, idempotency_key=key)
    visit.cadres.set(cadres)
    for need in needs or []:
        if need.outcome not in VisitNeed.Outcome.values:
            raise DomainError(_("Say how each need was handled."), field="needs")
        if not need.description.strip():
            raise DomainError(_("Describe each need."), field="needs")
        case = None
        if need.outcome == VisitNeed.Outcome.CASE:
            if not (need.item_code and need.resident_id):
                raise DomainError(
                    _("A need turned into a case needs the item and the person."), field="needs"
                )
            case = case_accept_within(
                actor=actor,
                intake=Intake(
                    item_code=need.item_code,
                    channel=Channel.HOME_VISIT,
                    village_code=village.code,
                    applicant_id=need.resident_id,
                    description=need.description,
                ),
            )
        if need.outcome == VisitNeed.Outcome.FOLLOW_UP and need.due_date is None:
            raise DomainError(_("A follow-up needs a date."), field="needs")
        resident = (
            resident_get_for_viewer(viewer=actor, resident_id=need.resident_id) if need.resident_id else None
        )
        VisitNeed.objects.create(
            bureau_id=visit.bureau_id,
            visit=visit,
            description=need.description.strip()[:300],
            resident=resident,
            outcome=need.outcome,
            case=case,
            due_date=need.due_date,
            done=need.outcome == VisitNeed.Outcome.CLOSED,
        )
    return visit
