"""Consent receipts: a person's answer on a purpose that needs their separate consent, appended,
never edited (the database refuses an UPDATE or DELETE of a receipt)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import Conflict, DomainError, NotFound
from linju.people.models import Resident
from linju.people.selectors import resident_get_for_viewer

from ..models import ConsentPurpose, ConsentRecord, LegalBasis

if TYPE_CHECKING:
    from linju.accounts.models import User


def consent_now(*, resident_id: int, purpose: str) -> str | None:
    """The person's current answer on a purpose (their latest receipt's), or None if never asked.
    One query."""
    return (
        ConsentRecord.objects.filter(resident_id=resident_id, purpose=purpose)
        .order_by("-recorded_at", "-id")
        .values_list("decision", flat=True)
        .first()
    )


def consent_record_within(
    *,
    actor: User,
    resident: Resident,
    purpose: str,
    decision: str,
    method: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ConsentRecord:
    """Append the person's answer, given to staff, inside the caller's transaction (a certification
    that asks it first). A withdrawal needs a grant to withdraw."""
    require(actor, "consent.record")
    if purpose not in ConsentPurpose.values:
        raise DomainError(_("Choose what the consent is for."), field="purpose")
    if decision not in ConsentRecord.Decision.values:
        raise DomainError(_("Say whether the person agreed, refused or withdrew."), field="decision")
    if method not in ConsentRecord.Method.values or method == ConsentRecord.Method.MY_PAGE:
        raise DomainError(_("Say how the answer was collected."), field="method")
    if (
        decision == ConsentRecord.Decision.WITHDRAWN
        and consent_now(resident_id=resident.pk, purpose=purpose) != ConsentRecord.Decision.GRANTED
    ):
        raise Conflict(_("There is no consent in force to withdraw."), code="nothing_to_withdraw")
    return ConsentRecord.objects.create(
        bureau_id=resident.bureau_id,
        resident=resident,
        purpose=purpose,
        decision=decision,
        legal_basis=LegalBasis.CONSENT,
        separate=True,
        method=method,
        taken_by=actor,
        recorded_at=now or timezone.now(),
        note=" ".join(note.split())[:200],
    )


@transaction.atomic(durable=True)
def consent_record(
    *, actor: User, resident_id: int, purpose: str, decision: str, method: str, note: str = ""
) -> ConsentRecord:
    """The person's answer, recorded by staff of their towns."""
    require(actor, "consent.record")
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    return consent_record_within(
        actor=actor, resident=resident, purpose=purpose, decision=decision, method=method, note=note
    )


@transaction.atomic(durable=True)
def consent_withdraw_by_person(*, resident_ids: list[int], resident_id: int, purpose: str) -> ConsentRecord:
    """The person withdraws a consent on their own page: a withdrawal appended to its receipts. The
    resident's records are locked so that two withdrawals at once append one."""
    resident = Resident.objects.select_for_update().filter(pk=resident_id, pk__in=resident_ids).first()
    if resident is None or purpose not in ConsentPurpose.values:
        raise NotFound(_("No such consent."))
    if consent_now(resident_id=resident.pk, purpose=purpose) != ConsentRecord.Decision.GRANTED:
        raise Conflict(_("There is no consent in force to withdraw."), code="nothing_to_withdraw")
    return ConsentRecord.objects.create(
        bureau_id=resident.bureau_id,
        resident=resident,
        purpose=purpose,
        decision=ConsentRecord.Decision.WITHDRAWN,
        legal_basis=LegalBasis.CONSENT,
        separate=True,
        method=ConsentRecord.Method.MY_PAGE,
        recorded_at=timezone.now(),
    )
