"""Text messages. `send_sms` is the one way to send; the backend is chosen by the setting
LINJU_SMS_BACKEND:

- `linju.notify.sms.OutboxOnlyBackend` (the default, and the demo's): writes to the outbox table and
  the log, sends nothing. `manage.py check --deploy` refuses it in production (linju.E010).
- `linju.notify.aliyun.AliyunSmsBackend`: Aliyun's SMS service (dysmsapi SendSms, its signed HTTP
  API), a provider template per text (LINJU_SMS_TEMPLATES); its delivery receipts come back to
  /notify/sms-reports (linju/notify/views.py).

A backend is a class with `name`, `delivers` and `send(text: Outgoing) -> str` (the gateway's id for
the message, or ""), raising GatewayError when the gateway refuses or cannot be reached.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

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

    def send(self, text: Outgoing) -> str:
        logger.info("SMS (outbox only) to %s: %s", text.phone[:3] + "****" + text.phone[-4:], text.text)
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
