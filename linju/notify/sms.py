"""Text messages. `send_sms` is the one way to send; the backend is chosen by the setting
LINJU_SMS_BACKEND:

- `linju.notify.sms.OutboxOnlyBackend` (the default, and the demo's): writes to the outbox table and
  the log, sends nothing. `manage.py check --deploy` refuses it in production (linju.E010).
- `linju.notify.aliyun.AliyunSmsBackend`: Aliyun's SMS service (dysmsapi SendSms, its signed HTTP
  API), a provider template per text (LINJU_SMS_TEMPLATES); its delivery receipts come back to
  /notify/sms-reports (linju/notify/views.py).

A backend is a class with `name`, `delivers` and `send(text: Outgoing) -> str` (the gateway's id for
the message, or ""), raising GatewayError when the gateway refuses or cannot be reached. A backend
that can also send many texts of one template in one call has `batch_limit` (how many a call takes)
and `send_batch(texts: list[Outgoing]) -> str` (the gateway's id for the call), raising GatewayError
for the whole call; `send_sms_batch` uses it, and asks one text at a time of a backend without it.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string

from linju.core.idlists import id_list

from .models import OutboxMessage
from .purposes import params_problem

logger = logging.getLogger("linju.sms")
DEFAULT_BACKEND = "linju.notify.sms.OutboxOnlyBackend"


@dataclasses.dataclass(frozen=True)
class Outgoing:
    """One text as a gateway is asked to send it."""

    phone: str
    text: str
    template: str  # the key in LINJU_SMS_TEMPLATES (linju/notify/purposes.py)
    params: dict[str, str]
    out_id: str  # Linju's id for it (the outbox row), which the gateway's receipts carry back


class GatewayError(Exception):
    """The gateway did not take the text. `retry`: it surely did not send it (throttled, or never
    reached), so asking again cannot send it twice."""

    def __init__(self, message: str, *, code: str = "", retry: bool = False):
        super().__init__(message)
        self.code, self.retry = code, retry


class OutboxOnlyBackend:
    name = "outbox"
    delivers = False
    batch_limit = 1000

    def send(self, text: Outgoing) -> str:
        logger.info("SMS (outbox only) to %s: %s", text.phone[:3] + "****" + text.phone[-4:], text.text)
        return ""

    def send_batch(self, texts: list[Outgoing]) -> str:
        for text in texts:
            self.send(text)
        return ""


def _backend():
    return import_string(getattr(settings, "LINJU_SMS_BACKEND", DEFAULT_BACKEND))()


def can_receive_texts(phone: str) -> bool:
    """A mobile number: landlines (written with an area code and a dash) cannot receive texts."""
    return bool(phone) and "-" not in phone


def send_sms(
    *,
    bureau_id: int,
    phone: str,
    text: str,
    purpose: str,
    reference: str = "",
    params: dict | None = None,
    template: str = "",
) -> OutboxMessage | None:
    """Send (or write) one message for a bureau, at most once per (purpose, reference, phone).

    `text` is the message as Linju writes it; a gateway sends the provider's template `template`
    (default: the purpose) with `params`, its variables (linju/notify/purposes.py).

    The message is claimed first, by inserting its outbox row (the unique constraint decides between
    a retried job, two schedulers or two workers reaching the same text), and only the holder of the
    claim asks the gateway: a text is never sent twice. A gateway that was busy (throttled) or not
    reached surely did not send it: the row waits to be sent again by `sms_send_again` (a job each
    minute), at most LINJU_SMS_RETRIES times; a timeout after the request went out is not asked
    again (the text may have gone: its receipt will say). None when there is nothing to send or the
    text is already claimed. A gateway's failure is recorded on the row, never raised to the caller.
    Called outside a transaction (after a commit, or from a job) the claim is durable before the
    gateway is asked.
    """
    if not can_receive_texts(phone):
        return None
    template = template or purpose
    params = {key: str(value) for key, value in (params or {}).items()}
    problem = params_problem(template, params)
    if problem and settings.LINJU_SMS_STRICT:  # a mistake in Linju's code, found by the tests
        raise ValueError(problem)
    backend = _backend()
    try:
        with transaction.atomic():  # a savepoint when the caller has a transaction open
            message = OutboxMessage.objects.create(
                bureau_id=bureau_id,
                phone=phone,
                text=text[:500],
                purpose=purpose,
                reference=reference[:40],
                backend=backend.name,
                status=OutboxMessage.Status.SENDING,
                template=template,
                params=params,
            )
    except IntegrityError:
        logger.info("SMS %s %s to %s already claimed: not sent again", purpose, reference, phone[-4:])
        return None
    return _ask(backend, message, text=text)


def _ask(backend, message: OutboxMessage, *, text: str) -> OutboxMessage:
    """Ask the gateway for a claimed text (status `sending`) and record its answer on the row."""
    outgoing = Outgoing(
        phone=message.phone,
        text=text,
        template=message.template or message.purpose,
        params=message.params,
        out_id=str(message.pk),
    )
    attempts = message.attempts + 1
    result = {"status": OutboxMessage.Status.WRITTEN, "error": "", "error_code": "", "retry_at": None}
    try:
        result["provider_id"] = (backend.send(outgoing) or "")[:64]
        if getattr(backend, "delivers", True):
            result["status"] = OutboxMessage.Status.SENT
    except GatewayError as exc:
        result |= {
            "status": OutboxMessage.Status.FAILED,
            "error": str(exc)[:300],
            "error_code": exc.code[:64],
        }
        if exc.retry and attempts <= settings.LINJU_SMS_RETRIES:
            wait = settings.LINJU_SMS_RETRY_SECONDS * 2 ** (attempts - 1)
            result |= {
                "status": OutboxMessage.Status.RETRY,
                "retry_at": timezone.now() + timedelta(seconds=wait),
            }
    except Exception as exc:  # a gateway's failure must not undo the case it reports on
        result |= {"status": OutboxMessage.Status.FAILED, "error": str(exc)[:300]}
    if result["status"] in (OutboxMessage.Status.FAILED, OutboxMessage.Status.RETRY):
        logger.warning("SMS to %s: %s (%s)", message.phone[-4:], result["error"], result["status"])
    # a receipt may have come first (matched by our id): it is not overwritten
    if OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        attempts=attempts, **result
    ):
        for field, value in (result | {"attempts": attempts}).items():
            setattr(message, field, value)
    else:
        message.refresh_from_db()
    return message


def sms_send_again(*, now=None, limit: int = 500) -> int:
    """Ask the gateway again for the texts whose time has come (`retry`): each claimed first, so two
    workers running this job at once ask once. Returns how many were asked."""
    now = now or timezone.now()
    backend = _backend()
    due = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.RETRY, retry_at__lte=now)
        .order_by("retry_at")
        .values_list("pk", flat=True)[:limit]
    )
    asked = 0
    for pk in due:
        if not OutboxMessage.objects.filter(pk=pk, status=OutboxMessage.Status.RETRY).update(
            status=OutboxMessage.Status.SENDING
        ):
            continue  # another worker has it
        message = OutboxMessage.objects.get(pk=pk)
        _ask(backend, message, text=message.text)
        asked += 1
    return asked


@dataclasses.dataclass(frozen=True)
class ToSend:
    """One text of a batch (`send_sms_batch`): whose bureau sends it, to whom, its words and variables."""

    bureau_id: int
    phone: str
    text: str
    params: dict[str, str]


CLAIM_ROWS = 1000  # outbox rows claimed by one INSERT: 17 values a row, under SQLite's 32,766


def send_sms_batch(
    *, texts: list[ToSend], purpose: str, reference: str, template: str = ""
) -> dict[str, str]:
    """Send (or write) many texts of one purpose, reference and template, each at most once per
    phone: what `send_sms` does for one, in a few statements for a thousand.

    The texts are claimed first, all at once: one `INSERT … ON CONFLICT DO NOTHING RETURNING` of
    their outbox rows (the same unique constraint as `send_sms` decides; only the rows this call
    inserted come back, so a phone another worker claimed first, or a second text to a phone in the
    same batch, is not asked for). The claim commits before the gateway is asked (called outside a
    transaction), so a text that went out is never rolled back into one to send again. Then the
    gateway is asked in calls of its `batch_limit` (Aliyun's SendBatchSms: 100 numbers); what each
    call answered is written on its rows by one UPDATE for the whole batch: sent, or to be sent
    again by `sms_send_again` when the gateway surely did not send them (throttled, not reached),
    or failed. A reference is required: the claim is the only thing that stops a second text.

    Returns the phones this call claimed, each with its text's status."""
    if not reference:
        raise ValueError("a batch of texts needs a reference: its claim is what stops a second text")
    template = template or purpose
    texts = [text for text in texts if can_receive_texts(text.phone)]
    for text in texts:
        problem = params_problem(template, text.params)
        if problem and settings.LINJU_SMS_STRICT:  # a mistake in Linju's code, found by the tests
            raise ValueError(problem)
    if not texts:
        return {}
    backend = _backend()
    claimed: dict[str, int] = {}
    with transaction.atomic():  # a savepoint when the caller has a transaction open
        for start in range(0, len(texts), CLAIM_ROWS):
            claimed |= _claim(
                texts[start : start + CLAIM_ROWS], purpose, reference[:40], template, backend.name
            )
    if not claimed:
        return {}
    mine = [text for text in texts if claimed.get(text.phone) is not None]
    outgoing, seen = [], set()
    for text in mine:
        if text.phone in seen:  # a second text to the same phone in the batch: not claimed
            continue
        seen.add(text.phone)
        outgoing.append(
            Outgoing(
                phone=text.phone,
                text=text.text,
                template=template,
                params={key: str(value) for key, value in text.params.items()},
                out_id=str(claimed[text.phone]),
            )
        )
    results = _ask_batch(backend, outgoing)
    _record_batch(results)
    return {text.phone: results[claimed[text.phone]]["status"] for text in outgoing}


def _claim(texts: list[ToSend], purpose: str, reference: str, template: str, backend: str) -> dict[str, int]:
    """Insert the texts' outbox rows (status `sending`), skipping those the unique constraint turns
    away: the phones claimed by this statement, with their rows' ids. What differs between the texts
    (bureau, phone encrypted and its blind index, words, variables) goes as one array a column on
    PostgreSQL (`unnest`, in the texts' order), a row of values each on SQLite; the rest as one value
    each. The rows come back by their phones' indexes (the phones themselves are stored encrypted)."""
    now = timezone.now()
    shared = OutboxMessage(
        purpose=purpose,
        reference=reference,
        backend=backend,
        status=OutboxMessage.Status.SENDING,
        template=template,
        created_at=now,
    )
    fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
    varying = ("bureau_id", "phone", "phone_index", "text", "params")
    constant = [f for f in fields if f.attname not in varying]
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(f.column) for f in [*constant, *(OutboxMessage._meta.get_field(n) for n in varying)]
    )
    values = [f.get_db_prep_save(getattr(shared, f.attname), connection) for f in constant]
    phone_field = OutboxMessage._meta.get_field("phone")
    by_index = {phone_field.blind(text.phone): text.phone for text in texts}
    indexes = {phone: index for index, phone in by_index.items()}
    rows = [
        (
            text.bureau_id,
            phone_field.get_db_prep_save(text.phone, connection),
            indexes[text.phone],
            text.text[:500],
            {key: str(value) for key, value in text.params.items()},
        )
        for text in texts
    ]
    returning = f"RETURNING {quote(OutboxMessage._meta.pk.column)}, {quote('phone_index')}"
    if connection.vendor == "postgresql":
        source = (
            "SELECT " + ", ".join(["%s"] * len(constant)) + ", v.bureau_id, v.phone, v.phone_index, v.text, "
            "v.params::jsonb FROM unnest(%s::bigint[], %s::text[], %s::varchar[], %s::varchar[], %s::text[]) "
            "AS v(bureau_id, phone, phone_index, text, params)"
        )
        params = [
            *values,
            [row[0] for row in rows],
            [row[1] for row in rows],
            [row[2] for row in rows],
            [row[3] for row in rows],
            [json.dumps(row[4], ensure_ascii=False) for row in rows],
        ]
    else:
        params_field = OutboxMessage._meta.get_field("params")
        row = "(" + ", ".join(["%s"] * (len(constant) + len(varying))) + ")"
        source = "VALUES " + ", ".join([row] * len(rows))
        params = [
            value
            for bureau_id, phone, index, text, variables in rows
            for value in (
                *values,
                bureau_id,
                phone,
                index,
                text,
                params_field.get_db_prep_save(variables, connection),
            )
        ]
    statement = (
        f"INSERT INTO {quote(OutboxMessage._meta.db_table)} ({columns}) {source} "
        f"ON CONFLICT DO NOTHING {returning}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return {by_index[index]: pk for pk, index in cursor.fetchall()}


def _ask_batch(backend, outgoing: list[Outgoing]) -> dict[int, dict]:
    """Ask the gateway for the claimed texts, a call of `batch_limit` at a time (one at a time when
    the backend has no batch send): what became of each row, by its id."""
    limit = getattr(backend, "batch_limit", 0) if hasattr(backend, "send_batch") else 0
    calls = (
        [outgoing[start : start + limit] for start in range(0, len(outgoing), limit)]
        if limit
        else [[text] for text in outgoing]
    )
    results = {}
    for call in calls:
        result = {"status": OutboxMessage.Status.WRITTEN, "error": "", "error_code": "", "retry_at": None}
        try:
            answer = backend.send_batch(call) if limit else backend.send(call[0])
            result["provider_id"] = (answer or "")[:64]
            if getattr(backend, "delivers", True):
                result["status"] = OutboxMessage.Status.SENT
        except GatewayError as exc:
            result |= {
                "status": OutboxMessage.Status.FAILED,
                "error": str(exc)[:300],
                "error_code": exc.code[:64],
                "provider_id": "",
            }
            if exc.retry and settings.LINJU_SMS_RETRIES >= 1:
                result |= {
                    "status": OutboxMessage.Status.RETRY,
                    "retry_at": timezone.now() + timedelta(seconds=settings.LINJU_SMS_RETRY_SECONDS),
                }
        except Exception as exc:  # a gateway's failure is recorded, never raised to the caller
            result |= {"status": OutboxMessage.Status.FAILED, "error": str(exc)[:300], "provider_id": ""}
        if result["status"] in (OutboxMessage.Status.FAILED, OutboxMessage.Status.RETRY):
            logger.warning("SMS batch of %s: %s (%s)", len(call), result["error"], result["status"])
        for text in call:
            results[int(text.out_id)] = result
    return results


def _record_batch(results: dict[int, dict]) -> None:
    """Write each row's answer with one UPDATE for the whole batch (a CASE by row where the calls
    answered differently). A receipt that came first (status no longer `sending`) is not overwritten."""
    groups: dict[tuple, list[int]] = {}
    for pk, result in results.items():
        groups.setdefault(tuple(sorted(result.items(), key=lambda pair: pair[0])), []).append(pk)
    changes = {}
    for name in ("status", "error", "error_code", "retry_at", "provider_id"):
        values = {key: dict(key)[name] for key in groups}
        if len(set(values.values())) == 1:
            changes[name] = next(iter(values.values()))
        else:
            output = OutboxMessage._meta.get_field(name)
            changes[name] = Case(
                *[
                    When(pk__in=id_list(groups[key]), then=Value(value, output_field=output))
                    for key, value in values.items()
                ],
                output_field=output,
            )
    OutboxMessage.objects.filter(pk__in=id_list(results), status=OutboxMessage.Status.SENDING).update(
        attempts=F("attempts") + 1, **changes
    )
