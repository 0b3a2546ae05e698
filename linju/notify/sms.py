"""Text messages. `send_sms` is the one way to send; the backend is chosen by the setting
LINJU_SMS_BACKEND (default: write to the outbox table and the log, send nothing).

A real gateway is a class with `name` and `send(phone, text) -> None` raising on failure,
named by its dotted path in the setting.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from .models import OutboxMessage

logger = logging.getLogger("linju.sms")
DEFAULT_BACKEND = "linju.notify.sms.OutboxOnlyBackend"


class OutboxOnlyBackend:
    name = "outbox"
    delivers = False

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS (outbox only) to %s: %s", phone[:3] + "****" + phone[-4:], text)


def _backend():
    return import_string(getattr(settings, "LINJU_SMS_BACKEND", DEFAULT_BACKEND))()


def can_receive_texts(phone: str) -> bool:
    """A mobile number: landlines (written with an area code and a dash) cannot receive texts."""
    return bool(phone) and "-" not in phone


def send_sms(
    *, bureau_id: int, phone: str, text: str, purpose: str, reference: str = ""
) -> OutboxMessage | None:
    """Send (or write) one message for a bureau, at most once per (purpose, reference, phone).

    The message is claimed first, by inserting its outbox row (the unique constraint decides between
    a retried job, two schedulers or two workers reaching the same text), and only the holder of the
    claim asks the gateway: a text is never sent twice. None when there is nothing to send or the
    text is already claimed. A gateway's failure is recorded on the row, never raised to the caller.
    Called outside a transaction (after a commit, or from a job) the claim is durable before the
    gateway is asked.
    """
    if not can_receive_texts(phone):
        return None
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
    status, error = OutboxMessage.Status.WRITTEN, ""
    try:
        backend.send(phone, text)
        if getattr(backend, "delivers", True):
            status = OutboxMessage.Status.SENT
    except Exception as exc:  # a gateway's failure must not undo the case it reports on
        status, error = OutboxMessage.Status.FAILED, str(exc)[:300]
        logger.warning("SMS to %s failed: %s", phone[-4:], error)
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, error=error)
    message.status, message.error = status, error
    return message
