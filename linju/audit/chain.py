"""The audit log as a chain no one can quietly change.

Each event, once sealed, carries its place in its bureau's chain (`seq`), the id of the event before
it (`sealed_after`), that event's seal (`prev_digest`) and its own seal (`digest`): HMAC-SM3, under
the key of linju/core/crypto.py, of the previous seal and the event's content (who, what, when, from
where, the event before it). Someone with the database but not the key cannot make a seal, so
cannot rewrite the chain after an edit.

The request that is audited inserts its row as before and nothing more (one INSERT: no read, no
lock on the hot path). A job seals (every minute, and before each check): for each bureau, under
a lock on its chain's head, the events not sealed yet, in the order of their ids, continue the
chain. A row committed late by a slow transaction, with an id below some sealed one, is simply
sealed in the next batch: the chain's order is the order of sealing, not of ids. The price: an
event is open to a quiet change or deletion until it is sealed (a minute or so); the check
reports events left unsealed longer than `UNSEALED_GRACE`, so a stopped sealing job is seen.

The check (`manage.py audit_verify`, nightly) walks each bureau's chain in order and reports the
first event edited (its seal does not match its content), removed (the next event names an event
that is gone; or the head names one) or reordered (the event before it is not the one it was
sealed after)."""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.roles import ADMIN
from linju.accounts.models import User
from linju.core.crypto import keyring
from linju.notify.sms import send_sms

from .models import AuditChainHead, AuditCheck, AuditEvent

PURPOSE = "audit-chain"
SEAL_BATCH = 5000
UNSEALED_GRACE = datetime.timedelta(minutes=10)


def _content(event: AuditEvent) -> bytes:
    """What a seal covers: every column the request wrote, and the event before it."""
    return json.dumps(
        [
            event.pk,
            event.bureau_id,
            event.created_at.astimezone(datetime.UTC).isoformat(),
            event.actor_id,
            event.action,
            event.object_type,
            event.object_id,
            event.object_label,
            event.detail,
            event.ip_address,
            event.user_agent,
            event.path,
            event.sealed_after,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def seal_of(event: AuditEvent, prev_digest: str) -> str:
    return keyring().mac(prev_digest.encode() + b"\n" + _content(event), PURPOSE)


# not one durable transaction: a job; each bureau's batch is its own, committed before the next
def audit_seal(*, batch: int = SEAL_BATCH) -> int:
    """Seal every event not sealed yet, bureau by bureau, `batch` at a time; how many were sealed."""
    sealed = 0
    bureaus = AuditEvent.objects.filter(seq__isnull=True).values_list("bureau_id", flat=True).distinct()
    for bureau_id in sorted(set(bureaus)):
        AuditChainHead.objects.get_or_create(bureau_id=bureau_id)
        while count := _seal_batch(bureau_id, batch):
            sealed += count
    return sealed


def _seal_batch(bureau_id: int, batch: int) -> int:
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(bureau_id=bureau_id)
        events = list(AuditEvent.objects.filter(bureau_id=bureau_id, seq__isnull=True).order_by("id")[:batch])
        for event in events:
            head.seq += 1
            event.seq, event.sealed_after, event.prev_digest = head.seq, head.last_id, head.digest
            event.digest = seal_of(event, head.digest)
            head.last_id, head.digest = event.pk, event.digest
        if events:
            AuditEvent.objects.bulk_update(
                events, ["seq", "sealed_after", "prev_digest", "digest"], batch_size=1000
            )
            head.sealed_at = timezone.now()
            head.save()
        return len(events)


@dataclass(frozen=True)
class Finding:
    bureau_id: int
    kind: str  # edited, removed, reordered, unsealed
    event_id: int | None
    seq: int | None = None

    def text(self) -> str:
        where = f" (place {self.seq} in the chain)" if self.seq else ""
        return {
            "edited": f"event {self.event_id}{where} was edited after it was sealed",
            "removed": f"event {self.event_id} was removed from the chain{where}",
            "reordered": f"event {self.event_id}{where} is not where it was sealed: the chain was reordered",
            "unsealed": f"event {self.event_id} has waited longer than the sealing job allows: is the job running?",
        }[self.kind]


def _first_break(head: AuditChainHead) -> tuple[Finding | None, int]:
    """The first break in a bureau's chain, and how many events were checked."""
    prev_id, prev_digest, prev_seq, checked = None, "", 0, 0
    events = AuditEvent.objects.filter(bureau_id=head.bureau_id, seq__isnull=False).order_by("seq")
    for event in events.iterator(chunk_size=5000):
        checked += 1
        if event.digest != seal_of(event, event.prev_digest):
            return Finding(head.bureau_id, "edited", event.pk, event.seq), checked
        if event.sealed_after != prev_id or event.seq != prev_seq + 1 or event.prev_digest != prev_digest:
            gone = (
                event.sealed_after is not None
                and not AuditEvent.objects.filter(pk=event.sealed_after).exists()
            )
            if gone:
                return Finding(head.bureau_id, "removed", event.sealed_after, event.seq - 1), checked
            return Finding(head.bureau_id, "reordered", event.pk, event.seq), checked
        prev_id, prev_digest, prev_seq = event.pk, event.digest, event.seq
    if (prev_id, prev_seq, prev_digest) != (head.last_id, head.seq, head.digest):
        if head.last_id is not None and not AuditEvent.objects.filter(pk=head.last_id).exists():
            return Finding(head.bureau_id, "removed", head.last_id, head.seq), checked
        return Finding(head.bureau_id, "reordered", prev_id, prev_seq), checked
    return None, checked


def audit_verify(*, grace: datetime.timedelta = UNSEALED_GRACE, record: bool = True) -> list[Finding]:
    """The oldest event of each bureau left unsealed past `grace`; then seal what waits and check
    every bureau's chain: the first break of each. Each bureau's result is kept (`AuditCheck`) for the staff's
    pages when `record`."""
    # before sealing: events the sealing job should have taken long ago (is it running?)
    late = (
        AuditEvent.objects.filter(seq__isnull=True, created_at__lt=timezone.now() - grace)
        .values("bureau_id")
        .annotate(first=Min("id"))
        .order_by("bureau_id")
    )
    findings = [Finding(row["bureau_id"], "unsealed", row["first"]) for row in late]
    seen = {finding.bureau_id for finding in findings}
    audit_seal()
    checked = {}
    for head in AuditChainHead.objects.order_by("bureau_id"):
        found, checked[head.bureau_id] = _first_break(head)
        if found:
            findings.insert(0, found)
    if record:
        AuditCheck.objects.bulk_create(
            AuditCheck(
                bureau_id=bureau_id,
                events=checked.get(bureau_id, 0),
                findings=[asdict(f) for f in findings if f.bureau_id == bureau_id],
            )
            for bureau_id in sorted(set(checked) | seen)
        )
    return findings


# not one durable transaction: a job; the check's records commit, then each text is sent
def audit_verify_and_alert() -> list[Finding]:
    """The nightly check; a bureau whose log fails it is shown on the staff's pages (its
    `AuditCheck`) and texted to its administrators."""
    findings = audit_verify()
    by_bureau: dict[int, list[Finding]] = {}
    for finding in findings:
        by_bureau.setdefault(finding.bureau_id, []).append(finding)
    today = timezone.localdate().isoformat()
    admins = User.objects.filter(role=ADMIN, is_active=True, bureau_id__in=by_bureau).exclude(mobile="")
    for admin in admins:
        found = by_bureau[admin.bureau_id]
        values = {"count": len(found), "event": found[0].event_id or ""}
        with translation.override("zh-hans"):
            text = (
                str(
                    _(
                        "[Linju] The audit log check found %(count)d problem(s); the first at event %(event)s. See the audit log."
                    )
                )
                % values
            )
        send_sms(
            bureau_id=admin.bureau_id,
            phone=admin.mobile,
            text=text,
            purpose="audit_alert",
            reference=f"audit-{today}",
            params={k: str(v) for k, v in values.items()},
        )
    return findings
