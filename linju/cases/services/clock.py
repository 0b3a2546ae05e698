"""The clock of a case: extensions (延期) asked for and decided, and promised dates recomputed when a
year's holidays are known."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.exchange.models import Kind
from linju.workdays.selectors import add_working_days

from ..models import Case, CaseEvent, Extension
from ..selectors import case_get_for_viewer
from .common import _event, _sms
from .province import tell_province

if TYPE_CHECKING:
    from linju.accounts.models import User


def _clock_deadline(case: Case):
    """The promised date by the case's clock, with the calendar as it is now."""
    start = case.clock_from or timezone.localtime(case.accepted_at).date()
    days = case.clock_days if case.clock_days is not None else case.item.time_limit_days
    return add_working_days(start, days)


def extension_ask(
    *, actor: User, number: str, working_days: int, reason: str, now: datetime.datetime | None = None
) -> Extension:
    """延期, asked for: how many working days more and why; a second person decides. One durable
    transaction: no caller holds it inside a larger one."""
    require(actor, "case.extend")
    reason = " ".join(str(reason).split())
    if not reason or len(reason) > 500:
        raise DomainError(_("Say why more time is needed (at most 500 characters)."), field="reason")
    if not isinstance(working_days, int) or not 1 <= working_days <= Extension.MAX_DAYS:
        raise DomainError(_("An extension is 1 to 30 working days."), field="working_days")
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic(durable=True):
        case = case_get_for_viewer(viewer=actor, number=number, for_update=True)
        require(actor, "case.extend", case)
        if case.status not in Case.OPEN:
            raise Conflict(_("Only a case whose clock is running can be extended."), code="not_running")
        if case.extensions.filter(status=Extension.Status.PENDING).exists():
            raise Conflict(_("An extension of this case is already waiting for approval."), code="pending")
        extension = Extension.objects.create(
            bureau_id=case.bureau_id,
            case=case,
            working_days=working_days,
            reason=reason,
            asked_by=actor,
            asked_at=now,
        )
        _event(case, CaseEvent.Action.EXTEND_ASK, actor, case.status, at=now, note=reason, days=working_days)
    return extension


def extension_decide(
    *,
    actor: User,
    extension_id: int,
    approve: bool,
    note: str = "",
    number: str | None = None,
    now: datetime.datetime | None = None,
) -> Extension:
    """延期, decided by someone other than who asked: approved, the promise moves by the working
    days asked for and the resident is told; refused, the promise stands. One durable transaction,
    the text queued inside it."""
    require(actor, "case.extend_approve")
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic(durable=True):
        extension = (
            Extension.objects.select_for_update().filter(pk=extension_id, bureau_id=actor.bureau_id).first()
        )
        if extension is None:
            raise NotFound(_("No such extension."))
        case_number = Case.objects.values_list("number", flat=True).get(pk=extension.case_id)
        if number is not None and number != case_number:
            raise NotFound(_("No such extension."))  # an extension is decided on its own case's page
        case = case_get_for_viewer(viewer=actor, number=case_number, for_update=True)
        if extension.status != Extension.Status.PENDING:
            raise Conflict(_("This extension has already been decided."), code="decided")
        if extension.asked_by_id == actor.pk:
            raise PermissionDenied(
                _("A second person approves an extension: ask a colleague or your leader."),
                code="same_person",
            )
        extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
        extension.decided_by, extension.decided_at = actor, now
        extension.decision_note = note.strip()[:500]
        extension.save()
        if not approve:
            _event(case, CaseEvent.Action.EXTEND_NO, actor, case.status, at=now, note=extension.decision_note)
            return extension
        if case.status not in Case.OPEN:
            raise Conflict(_("Only a case whose clock is running can be extended."), code="not_running")
        previous = case.promised_date
        case.clock_from = case.clock_from or timezone.localtime(case.accepted_at).date()
        case.clock_days = (
            case.clock_days if case.clock_days is not None else case.item.time_limit_days
        ) + extension.working_days
        deadline = _clock_deadline(case)
        case.promised_date, case.promised_estimated = deadline.date, deadline.estimated
        case.version += 1
        case.save()
        _event(
            case,
            CaseEvent.Action.EXTEND,
            actor,
            case.status,
            at=now,
            note=extension.reason,
            days=extension.working_days,
            previous_promise=previous.isoformat(),
            promised_date=case.promised_date.isoformat(),
        )
        tell_province(case, Kind.CASE_EXTENDED, now, extended_days=extension.working_days)
        _sms(
            case,
            "extended",
            _(
                "[Qijiang HRSS] Request %(number)s needs more time: %(reason)s. We will now answer by %(date)s."
            ),
            reason=extension.reason[:120],
            date=case.promised_date.strftime("%Y-%m-%d"),
        )
    return extension


def promised_dates_recompute(*, now: datetime.datetime | None = None) -> int:
    """After a year's holiday notice is imported: open cases whose promised date was an estimate
    get the date their clock gives with the new calendar. A change is recorded on the timeline, and
    the resident is texted when the date moved. Returns how many cases changed. Each case is one
    durable transaction of its own, its text queued inside it."""
    now = timezone.localtime(now or timezone.now())
    changed = 0
    numbers = list(
        Case.objects.filter(status__in=Case.OPEN, promised_estimated=True).values_list("pk", flat=True)
    )
    for pk in numbers:
        with transaction.atomic(durable=True):
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("item", "applicant", "town")
                .filter(pk=pk, status__in=Case.OPEN, promised_estimated=True)
                .first()
            )
            if case is None:
                continue
            deadline = _clock_deadline(case)
            if (deadline.date, deadline.estimated) == (case.promised_date, case.promised_estimated):
                continue
            previous = case.promised_date
            case.promised_date, case.promised_estimated = deadline.date, deadline.estimated
            case.version += 1
            case.save(update_fields=["promised_date", "promised_estimated", "version", "updated_at"])
            _event(
                case,
                CaseEvent.Action.REDATE,
                None,
                case.status,
                at=now,
                previous_promise=previous.isoformat(),
                promised_date=case.promised_date.isoformat(),
                estimated=case.promised_estimated,
            )
            if previous != case.promised_date:
                _sms(
                    case,
                    "redated",
                    _(
                        "[Qijiang HRSS] The holidays of the new year are now known: request %(number)s "
                        "will be answered by %(date)s."
                    ),
                    date=case.promised_date.strftime("%Y-%m-%d"),
                )
            changed += 1
    return changed
