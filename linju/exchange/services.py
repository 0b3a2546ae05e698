"""Writing a message to the outbox: `exchange_enqueue`, inside the transaction of the change it reports.

The caller hands plain data (exchange knows nothing of cases): the kind, the case's number, the
item's code, the 12-digit region code, when it happened, and the fields of the target's record.
"""

from __future__ import annotations

import datetime
import re
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from linju.access.capabilities import require
from linju.access.roles import is_platform_admin

from .models import Kind, Message, Target

if TYPE_CHECKING:
    from linju.accounts.models import User

REGION_CODE = re.compile(r"^\d{12}$")
# the fields a record may carry beyond the common ones (the province's field set, schema/province.json)
CASE_FIELDS = frozenset(
    {
        "item_version",
        "department_code",
        "channel",
        "accepted_on",
        "promised_date",
        "status",
        "missing",
        "reason",
        "extended_days",
        "outcome",
        "finished_on",
    }
)
RATING_FIELDS = frozenset({"channel", "level", "rated_staff", "rating_source"})
RECTIFICATION_FIELDS = RATING_FIELDS | {"rectification", "result", "rectified_on"}
FIELDS = {kind: CASE_FIELDS for kind in Kind.values if kind.startswith("case_")} | {
    Kind.RATING: RATING_FIELDS,
    Kind.RECTIFICATION: RECTIFICATION_FIELDS,
}


KINDS, TARGETS = frozenset(Kind.values), frozenset(Target.values)  # `.values` builds a list on each use


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class Outgoing:
    """One message to write: what `exchange_enqueue` takes, for `exchange_enqueue_all`."""

    bureau_id: int
    kind: str
    reference: str
    case_number: str
    service_code: str
    region_code: str
    occurred_at: datetime.datetime
    fields: dict | None = None
    target: str = Target.PROVINCE


def exchange_enqueue(
    *,
    bureau_id: int,
    kind: str,
    reference: str,
    case_number: str,
    service_code: str,
    region_code: str,
    occurred_at: datetime.datetime,
    fields: dict | None = None,
    target: str = Target.PROVINCE,
) -> Message:
    """Write one message for `target`, in the caller's transaction (it must hold one: the message is
    committed with the change it reports, or rolled back with it). `reference` names the change once
    (a case's number and version with the kind): the database refuses a second message for the same
    change (the caller holds the case's lock, so that is a bug, not a race). One INSERT."""
    (message,) = exchange_enqueue_all(
        [
            Outgoing(
                bureau_id=bureau_id,
                kind=kind,
                reference=reference,
                case_number=case_number,
                service_code=service_code,
                region_code=region_code,
                occurred_at=occurred_at,
                fields=fields,
                target=target,
            )
        ]
    )
    return message


def exchange_enqueue_all(outgoing: list[Outgoing]) -> list[Message]:
    """`exchange_enqueue` for several changes made in one transaction (a bundle's parts taken
    together): one INSERT for all of them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("exchange_enqueue runs inside the transaction of the change it reports.")
    messages = [exchange_message(one) for one in outgoing]
    if len(messages) == 1:
        messages[0].save(force_insert=True)
        return messages
    return Message.objects.bulk_create(messages)


def exchange_message(one: Outgoing) -> Message:
    """The message for one change, checked and not yet saved: for a writer that saves it with the
    change in one statement of its own (a case's intake, linju/cases/services/numbering.py)."""
    if one.kind not in KINDS or one.target not in TARGETS:
        raise ValueError(f"Unknown kind {one.kind!r} or target {one.target!r}.")
    if not REGION_CODE.match(one.region_code or ""):
        raise ValueError(f"A region code has 12 digits, not {one.region_code!r}.")
    extra = {key: _plain(value) for key, value in (one.fields or {}).items() if value is not None}
    unknown = set(extra) - FIELDS[one.kind]
    if unknown:
        raise ValueError(f"Fields not in the target's set for {one.kind}: {', '.join(sorted(unknown))}.")
    message_id = uuid.uuid4()
    payload = {
        "message_id": str(message_id),
        "kind": one.kind,
        "case_number": one.case_number,
        "service_code": one.service_code,
        "region_code": one.region_code,
        "occurred_at": _plain(one.occurred_at),
    } | extra
    return Message(
        bureau_id=one.bureau_id,
        message_id=message_id,
        target=one.target,
        kind=one.kind,
        reference=one.reference[:80],
        payload=payload,
        next_attempt_at=timezone.now(),
    )


def exchange_resend(*, viewer: User, message_ids: list[int], now: datetime.datetime | None = None) -> int:
    """Put dead letters back in the queue (the staff's resend, once the target's reason is dealt
    with): the same message_id and payload, so a receiver that had kept it after all counts it once;
    their attempts counted afresh. Only the viewer's bureau's. Returns how many went back."""
    require(viewer, "exchange.resend")
    with transaction.atomic(durable=True):
        messages = Message.objects.filter(pk__in=message_ids[:500], status=Message.Status.DEAD)
        if not is_platform_admin(viewer):
            messages = messages.filter(bureau_id=viewer.bureau_id)
        return messages.update(
            status=Message.Status.WAITING, attempts=0, next_attempt_at=now or timezone.now()
        )
