"""Signs of life brought in from other systems (a medical reimbursement, a bank or social-security-
card event), one row of a workbook at a time. Not a durable transaction: the spreadsheet import
checks every row inside a transaction it rolls back, then writes them all in one."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import DomainError, ErrorCollector
from linju.people.selectors import resident_get_for_viewer

from ..models import SignOfLife

if TYPE_CHECKING:
    from linju.accounts.models import User

IMPORTED_KINDS = (SignOfLife.Kind.MEDICAL, SignOfLife.Kind.BANK, SignOfLife.Kind.CARD)
OLDEST_YEARS = 3  # a sign older than this certifies no year Linju still asks about


def _check(kind: str, date: datetime.date | None, today: datetime.date) -> None:
    checks = ErrorCollector()
    if kind not in IMPORTED_KINDS:
        checks.errors.append(
            DomainError(
                _("Choose the kind of sign: medical reimbursement, bank or social security card."),
                field="kind",
            )
        )
    if date is None:
        checks.errors.append(DomainError(_("Write the date as 2026-05-03."), field="date"))
    elif date > today:
        checks.errors.append(DomainError(_("The date of a sign cannot be after today."), field="date"))
    elif date.year < today.year - OLDEST_YEARS:
        checks.errors.append(
            DomainError(
                _("A sign older than %(years)d years certifies nothing."),
                params={"years": OLDEST_YEARS},
                field="date",
            )
        )
    checks.raise_if_any()


def sign_of_life_record(
    *,
    actor: User,
    resident_id: int,
    kind: str,
    date: datetime.date | None,
    source_note: str = "",
    is_synthetic: bool = False,
) -> SignOfLife:
    """A sign of one resident of the actor's towns; the same sign (resident, kind, day) twice is
    kept once."""
    require(actor, "import.run")
    _check(kind, date, timezone.localdate())
    resident = resident_get_for_viewer(viewer=actor, resident_id=resident_id)
    sign, _created = SignOfLife.objects.get_or_create(
        resident=resident,
        kind=kind,
        date=date,
        defaults={
            "bureau_id": resident.bureau_id,
            "source_note": " ".join(source_note.split())[:100],
            "is_synthetic": is_synthetic,
            "recorded_by": actor,
        },
    )
    return sign
