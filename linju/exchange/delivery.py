"""Delivering the outbox: claim what is due, POST each message, record the answer.

The interface, for any receiver: one `POST` of the message's JSON object to LINJU_PROVINCE_URL with
`Content-Type: application/json`, `Idempotency-Key: <message_id>` and `X-Linju-Signature: <hex
HMAC-SHA256 of the raw body with LINJU_PROVINCE_KEY>`. Any 2xx means received. 408, 429, another
answer or none within LINJU_EXCHANGE_TIMEOUT (10 s) means: try again later, after 1, 2, 4 …
minutes (at most 6 hours), until LINJU_EXCHANGE_MAX_ATTEMPTS; then the message is dead and waits
on the staff's dead-letter list. Any other 4xx is the target refusing the message itself (its
signature, its fields): sending the same bytes again cannot help, so it is dead at once, with the
target's reason.

A run stops at the first message that gets no answer (the target is down or cut off: the others
would each wait the whole timeout); the rest of its batch is given back untried.

Exactly once, with a receiver that keeps each id once. A worker claims a message (in a short
transaction: `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so two workers never take the same
row; a compare-and-set UPDATE on SQLite, whose writers queue) by counting the attempt and moving its
next attempt past the end of the claim (CLAIM, longer than the timeout). It sends outside any
transaction, then marks it sent. A worker that dies after the POST and before the mark leaves the
message waiting: once the claim ends another worker sends it again, with the SAME message_id (the
body is the stored payload, byte for byte). The receiver must keep the first copy of each
Idempotency-Key and answer the others 2xx as already received; then every message counts once.
A receiver that answers late is the same case: the message is sent again and counted once.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import Message

logger = logging.getLogger("linju.exchange")

BATCH = 20  # messages claimed at a time: its claim lasts as long as all of them may take
MAX_BACKOFF = datetime.timedelta(hours=6)
# how long a claim keeps other workers off a message: the timeout and some
CLAIM_MARGIN = datetime.timedelta(seconds=20)
RETRYABLE_4XX = frozenset({408, 425, 429})


def body_of(message: Message) -> bytes:
    """The bytes sent, the same at every attempt: the payload as compact, sorted UTF-8 JSON."""
    return json.dumps(message.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature(body: bytes, key: str) -> str:
    return hmac.new(key.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no answer (unreachable, or not within the timeout)
    text: str


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """The one HTTP call: an answer, or None as its status when there was none in time."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, response.read(2000).decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(2000).decode("utf-8", "replace"))
    except (OSError, ValueError) as error:  # refused, reset, timed out, a bad address
        return Answer(None, f"no answer: {error}"[:500])


def _settings() -> tuple[str, str, float, int, float]:
    return (
        settings.LINJU_PROVINCE_URL,
        settings.LINJU_PROVINCE_KEY,
        float(settings.LINJU_EXCHANGE_TIMEOUT),
        int(settings.LINJU_EXCHANGE_MAX_ATTEMPTS),
        float(settings.LINJU_EXCHANGE_RETRY_SECONDS),
    )


def backoff(attempts: int, base_seconds: float) -> datetime.timedelta:
    """The wait after the nth failed attempt: base, 2 × base, 4 × base … at most MAX_BACKOFF."""
    return min(datetime.timedelta(seconds=base_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim(now: datetime.datetime, until: datetime.datetime, limit: int = BATCH) -> list[Message]:
    """Take up to `limit` due messages for this worker: each attempt counted and the next one moved
    to `until`, committed before anything is sent, so no other worker takes them meanwhile."""
    with transaction.atomic():
        due = Message.objects.filter(status=Message.Status.WAITING, next_attempt_at__lte=now).order_by(
            "next_attempt_at", "id"
        )
        if connection.features.has_select_for_update_skip_locked:
            rows = list(due.select_for_update(skip_locked=True)[:limit])
        else:  # SQLite: one writer at a time; the compare-and-set below decides
            rows = list(due[:limit])
        claimed = []
        for message in rows:
            won = Message.objects.filter(
                pk=message.pk, status=Message.Status.WAITING, attempts=message.attempts
            ).update(attempts=message.attempts + 1, next_attempt_at=until)
            if won:
                message.attempts += 1
                message.next_attempt_at = until
                claimed.append(message)
    return claimed


def _record(message: Message, answer: Answer, now: datetime.datetime, max_attempts: int, base: float) -> str:
    """Write what the target answered; the status the message is left in."""
    if answer.status is not None and 200 <= answer.status < 300:
        Message.objects.filter(pk=message.pk, status=Message.Status.WAITING).update(
            status=Message.Status.SENT, sent_at=now, next_attempt_at=None, last_error=""
        )
        return Message.Status.SENT
    reason = (f"HTTP {answer.status}: " if answer.status is not None else "") + answer.text.strip()
    reason = reason[:500] or "(no reason given)"
    refused = answer.status is not None and 400 <= answer.status < 500 and answer.status not in RETRYABLE_4XX
    if refused or message.attempts >= max_attempts:
        Message.objects.filter(pk=message.pk, status=Message.Status.WAITING).update(
            status=Message.Status.DEAD, next_attempt_at=None, last_error=reason
        )
        logger.warning("Exchange message %s is dead: %s", message.message_id, reason)
        return Message.Status.DEAD
    Message.objects.filter(pk=message.pk, status=Message.Status.WAITING).update(
        next_attempt_at=now + backoff(message.attempts, base), last_error=reason
    )
    return Message.Status.WAITING


def send_one(message: Message, url: str, key: str, timeout: float) -> Answer:
    body = body_of(message)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Idempotency-Key": str(message.message_id),
        "X-Linju-Signature": signature(body, key),
    }
    return post(url, body, headers, timeout)


def exchange_deliver(*, now: datetime.datetime | None = None, rounds: int = 50) -> dict[str, int]:
    """Deliver what is due now, a batch at a time (at most `rounds` batches): the periodic job and
    `manage.py exchange_deliver`. With no LINJU_PROVINCE_URL nothing is sent and everything is kept
    (`check --deploy` warns). Not one transaction: each claim is short and committed before its
    POSTs, each answer is written on its own (a POST inside a transaction would hold locks for
    seconds). Returns the count per resulting status."""
    url, key, timeout, max_attempts, base = _settings()
    counts = {Message.Status.SENT: 0, Message.Status.WAITING: 0, Message.Status.DEAD: 0}
    if not url:
        return counts
    for _round in range(rounds):
        start = now or timezone.now()
        batch = claim(start, start + datetime.timedelta(seconds=timeout) * BATCH + CLAIM_MARGIN)
        if not batch:
            break
        for index, message in enumerate(batch):
            answer = send_one(message, url, key, timeout)
            counts[_record(message, answer, now or timezone.now(), max_attempts, base)] += 1
            if answer.status is None:
                # no answer: the target is down or cut off; the rest of the batch is not tried (each
                # would wait the whole timeout) and is given back, its attempt not counted
                _give_back(batch[index + 1 :], now or timezone.now())
                return counts
    return counts


def _give_back(messages: list[Message], now: datetime.datetime) -> None:
    """Claimed but not tried: due again at once for the next run, the claim's attempt undone."""
    Message.objects.filter(pk__in=[m.pk for m in messages], status=Message.Status.WAITING).update(
        attempts=F("attempts") - 1, next_attempt_at=now
    )
