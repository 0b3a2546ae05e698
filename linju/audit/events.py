"""One function per audit event, so the log and any timeline read the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linju.core.held_queries import HeldInsert
from linju.core.request_context import RequestContext

from .models import AuditEvent

# every audited view writes one row: its INSERT is built once per thread (linju/core/held_queries.py)
AUDIT_ROW = HeldInsert(AuditEvent)

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.people.models import Resident


def _record(
    *,
    bureau_id: int,
    actor: User,
    action: str,
    object_type: str,
    object_id: str = "",
    object_label: str = "",
    detail: dict | None = None,
    context: RequestContext,
) -> AuditEvent:
    return AUDIT_ROW.save(
        AuditEvent(
            bureau_id=bureau_id,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_label=object_label[:200],
            detail=detail or {},
            ip_address=context.ip,
            user_agent=context.user_agent,
            path=context.path,
        )
    )


def _resident_label(resident: Resident) -> str:
    return f"{resident.name} {resident.masked_id_number}"


def resident_record_viewed_event(*, actor: User, resident: Resident, context: RequestContext) -> AuditEvent:
    return _record(
        bureau_id=resident.bureau_id,
        actor=actor,
        action=AuditEvent.Action.RECORD_VIEWED,
        object_type="resident",
        object_id=str(resident.pk),
        object_label=_resident_label(resident),
        context=context,
    )


def resident_unmasked_event(
    *, actor: User, resident: Resident, fields: list[str], context: RequestContext
) -> AuditEvent:
    return _record(
        bureau_id=resident.bureau_id,
        actor=actor,
        action=AuditEvent.Action.UNMASKED,
        object_type="resident",
        object_id=str(resident.pk),
        object_label=_resident_label(resident),
        detail={"fields": fields},
        context=context,
    )


def residents_exported_event(
    *, actor: User, count: int, filters: dict, file_format: str, context: RequestContext
) -> AuditEvent:
    return _record(
        bureau_id=actor.bureau_id,  # exports are from one bureau's registry (require_personal_export)
        actor=actor,
        action=AuditEvent.Action.EXPORTED,
        object_type="resident",
        object_label=f"{count}",
        detail={"count": count, "filters": filters, "format": file_format},
        context=context,
    )


def case_opened_event(*, actor: User, case, what: str, context: RequestContext) -> AuditEvent:
    """A case was opened (its page, one of its papers, or its record over the API): it names a person,
    so it is recorded like a resident's record. `what`: page, receipt, notice, return, api."""
    return _record(
        bureau_id=case.bureau_id,
        actor=actor,
        action=AuditEvent.Action.RECORD_VIEWED,
        object_type="case",
        object_id=case.number,
        object_label=f"{case.number} {_resident_label(case.applicant)}",
        detail={"what": what},
        context=context,
    )


def case_paper_unmasked_event(
    *, actor: User, case, what: str, context: RequestContext, photo_id: int | None = None
) -> AuditEvent:
    """A paper of the case itself was opened — a photo of one handed over, or the decision file — and
    so whole ID numbers and names were shown: recorded as an unmasking, not as a view. `what`: photo,
    decision."""
    return _record(
        bureau_id=case.bureau_id,
        actor=actor,
        action=AuditEvent.Action.UNMASKED,
        object_type="case",
        object_id=case.number,
        object_label=f"{case.number} {_resident_label(case.applicant)}",
        detail={"what": what} | ({"photo": photo_id} if photo_id is not None else {}),
        context=context,
    )


def residents_listed_event(
    *, actor: User, bureau_id: int, resident_ids: list[int], what: str, context: RequestContext
) -> AuditEvent:
    """A page or API answer showed a list of people by name (masked or not): who was shown, and on
    what (`what`: offer_sample, offer_list). One event a page, not one a person."""
    return _record(
        bureau_id=bureau_id,
        actor=actor,
        action=AuditEvent.Action.RECORD_VIEWED,
        object_type="resident_list",
        object_label=f"{what} ({len(resident_ids)})",
        detail={"what": what, "residents": resident_ids[:500], "count": len(resident_ids)},
        context=context,
    )


def jinbao_sheets_event(
    *, actor: User, bureau_id: int, numbers: list[str], what: str, context: RequestContext
) -> AuditEvent:
    """金保 entry sheets were shown or taken away: they hold whole ID numbers, names and phones. A
    page or a PDF (`what`: sheet, sheet_pdf, day, day_pdf) is recorded as an unmasking, a CSV (csv,
    day_csv) or the API's answer (api) as an export, the waiting list (waiting: names masked) as a
    view; the cases by number, one event a request."""
    if what in ("csv", "day_csv", "api"):
        action = AuditEvent.Action.EXPORTED
    elif what == "waiting":  # the waiting list: names masked
        action = AuditEvent.Action.RECORD_VIEWED
    else:
        action = AuditEvent.Action.UNMASKED
    return _record(
        bureau_id=bureau_id,
        actor=actor,
        action=action,
        object_type="jinbao_sheet",
        object_id=numbers[0] if len(numbers) == 1 else "",
        object_label=f"{what} ({len(numbers)})",
        detail={"what": what, "cases": numbers[:500], "count": len(numbers)},
        context=context,
    )
