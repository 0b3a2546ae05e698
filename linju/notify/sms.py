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
import time

from django.conf import settings
from django.db import IntegrityError, transaction
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
    claim asks the gateway: a text is never sent twice. A gateway that is throttled or cannot be
    reached is asked again, at most LINJU_SMS_RETRIES times, LINJU_SMS_RETRY_SECONDS apart (growing);
    a timeout after the request went out is not retried (the text may have gone: its receipt will
    say). None when there is nothing to send or the text is already claimed. A gateway's failure is
    recorded on the row, never raised to the caller. Called outside a transaction (after a commit,
    or from a job) the claim is durable before the gateway is asked.
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
            )
    except IntegrityError:
        logger.info("SMS %s %s to %s already claimed: not sent again", purpose, reference, phone[-4:])
        return None
    outgoing = Outgoing(phone=phone, text=text, template=template, params=params, out_id=str(message.pk))
    status, error, code, provider_id, attempts = OutboxMessage.Status.WRITTEN, "", "", "", 0
    retries = max(0, int(settings.LINJU_SMS_RETRIES))
    while True:
        attempts += 1
        try:
            provider_id = backend.send(outgoing) or ""
            status, error, code = OutboxMessage.Status.WRITTEN, "", ""
            if getattr(backend, "delivers", True):
                status = OutboxMessage.Status.SENT
            break
        except GatewayError as exc:
            status, error, code = OutboxMessage.Status.FAILED, str(exc)[:300], exc.code[:64]
            if exc.retry and attempts <= retries:
                logger.info("SMS to %s: %s, asking again", phone[-4:], code or error)
                time.sleep(settings.LINJU_SMS_RETRY_SECONDS * attempts)
                continue
        except Exception as exc:  # a gateway's failure must not undo the case it reports on
            status, error = OutboxMessage.Status.FAILED, str(exc)[:300]
        logger.warning("SMS to %s failed: %s", phone[-4:], error)
        break
    # a receipt may have come first (matched by our id): it is not overwritten
    result = {"status": status, "error": error, "error_code": code, "provider_id": provider_id[:64]}
    if OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        attempts=attempts, **result
    ):
        for field, value in (result | {"attempts": attempts}).items():
            setattr(message, field, value)
    else:
        message.refresh_from_db()
    return message
