"""Writes of the outbox besides sending: the gateway's delivery receipts."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .aliyun import AliyunSmsBackend
from .models import OutboxMessage

# a receipt settles a text the gateway took, or one whose answer was lost (a timeout): never a text
# only written to the outbox, nor one the gateway refused
RECEIPT_SETTLES = [
    OutboxMessage.Status.SENDING,
    OutboxMessage.Status.SENT,
    OutboxMessage.Status.FAILED,
    OutboxMessage.Status.DELIVERED,
    OutboxMessage.Status.UNDELIVERED,
]


def _report_time(value) -> datetime.datetime:
    try:
        moment = datetime.datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return timezone.now()
    return timezone.make_aware(moment)  # Aliyun writes Beijing time (TIME_ZONE, Asia/Shanghai)


def sms_reports_record(*, reports: list[dict]) -> int:
    """Record Aliyun's delivery receipts (SmsReport) on the outbox: delivered or not, the receipt's
    code and time. A receipt finds its text by our id (`out_id`, the row) and the phone, or by the
    gateway's (`biz_id`) and the phone (a batch's texts share the BizId); one for a text Linju did
    not send changes nothing. Returns how many texts it settled. A receipt pushed twice settles the same row the same way."""
    settled = 0
    with transaction.atomic(durable=True):  # one commit for the push, however many reports it holds
        for report in reports:
            settled += _report_record(report)
    return settled


def _report_record(report: dict) -> int:
    out_id, biz_id = str(report.get("out_id") or ""), str(report.get("biz_id") or "")[:64]
    phone = str(report.get("phone_number") or "")[:20]
    rows = OutboxMessage.objects.filter(backend=AliyunSmsBackend.name, status__in=RECEIPT_SETTLES)
    if out_id.isdigit() and len(out_id) < 19 and phone:
        rows = rows.filter(pk=int(out_id), phone=phone)
    elif biz_id:  # a batch's texts share one BizId (SendBatchSms): the phone tells them apart
        rows = rows.filter(provider_id=biz_id, **({"phone": phone} if phone else {}))
    else:
        return 0
    delivered = report.get("success") is True
    changes = {
        "status": OutboxMessage.Status.DELIVERED if delivered else OutboxMessage.Status.UNDELIVERED,
        "error_code": str(report.get("err_code") or "")[:64],
        "reported_at": _report_time(report.get("report_time")),
        "error": "" if delivered else str(report.get("err_msg") or "")[:300],
    }
    if biz_id:
        changes["provider_id"] = biz_id
    return rows.update(**changes)
