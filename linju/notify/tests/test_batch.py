"""Many texts of one template at once (`send_sms_batch`): claimed by one INSERT in the outbox, sent in
the gateway's batches (Aliyun's SendBatchSms, 100 numbers a call; here its stand-in), their answers
written by one UPDATE; each text still at most once per purpose, reference and phone."""

import datetime
import json
import math

import pytest
from django.db import connection
from django.utils import timezone

from linju.core.tests.threads import run_together
from linju.notify import aliyun
from linju.notify.models import OutboxMessage
from linju.notify.services import sms_reports_record
from linju.notify.sms import Outgoing, ToSend, send_sms, send_sms_batch, sms_send_again
from linju.notify.tests.conftest import TEMPLATES

REFERENCE = "offer-20261207"


@pytest.fixture
def gateway(standin, settings):
    settings.LINJU_SMS_TEMPLATES = TEMPLATES | {"offer": "SMS_100004"}
    return standin


def phone(n: int) -> str:
    return f"139{n:08d}"


def batch(towns_and_staff, count: int, first: int = 0) -> list[ToSend]:
    return [
        ToSend(
            bureau_id=towns_and_staff.yongxin.bureau_id,
            phone=phone(n),
            text=f"【綦江人社】您可能可以领取失业保险金。https://linju.example.gov.cn/o/t{n}",
            params={"offer": "您可能可以领取失业保险金", "link": f"https://linju.example.gov.cn/o/t{n}"},
        )
        for n in range(first, first + count)
    ]


def send(texts):
    return send_sms_batch(texts=texts, purpose="offer", reference=REFERENCE, template="offer")


def later(minutes=10):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def sent_to(gateway) -> list[str]:
    return sorted(entry["PhoneNumbers"] for entry in gateway.sent)


@pytest.mark.parametrize("count", [5, 250])
def test_a_batch_is_one_insert_and_one_update_whatever_its_size(towns_and_staff, gateway, max_queries, count):
    with max_queries(2) as captured:
        answered = send(batch(towns_and_staff, count))
    statements = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert statements[0].startswith('INSERT INTO "notify_outboxmessage"') and "RETURNING" in statements[0]
    assert answered == {phone(n): OutboxMessage.Status.SENT for n in range(count)}
    assert gateway.calls == math.ceil(count / 100)  # SendBatchSms: at most 100 numbers a call
    assert sent_to(gateway) == [phone(n) for n in range(count)]
    rows = OutboxMessage.objects.order_by("pk")
    assert [row.phone for row in rows] == [phone(n) for n in range(count)]
    assert {(row.status, row.attempts, row.backend) for row in rows} == {("sent", 1, "aliyun")}
    # each text keeps the BizId of the call that took it, shared by that call's texts
    by_phone = {entry["PhoneNumbers"]: entry["BizId"] for entry in gateway.sent}
    assert all(row.provider_id == by_phone[row.phone] for row in rows)
    assert len({row.provider_id for row in rows}) == gateway.calls


def test_a_batch_call_is_signed_and_carries_each_numbers_own_variables(towns_and_staff, gateway):
    send(batch(towns_and_staff, 3))
    first, *_ = gateway.sent
    assert first["Action"] == "SendBatchSms" and first["TemplateCode"] == "SMS_100004"
    assert [json.loads(entry["TemplateParam"])["link"] for entry in gateway.sent] == [
        f"https://linju.example.gov.cn/o/t{n}" for n in range(3)
    ]
    assert {entry["SignName"] for entry in gateway.sent} == {"綦江人社"}
    ids = sorted(OutboxMessage.objects.values_list("pk", flat=True))
    assert first["OutId"] == f"batch-{ids[0]}-{ids[-1]}"


def test_a_text_claimed_before_is_not_sent_again_by_a_batch(towns_and_staff, gateway):
    texts = batch(towns_and_staff, 4)
    single = texts[2]
    send_sms(
        bureau_id=single.bureau_id,
        phone=single.phone,
        text=single.text,
        purpose="offer",
        reference=REFERENCE,
        params=single.params,
    )
    answered = send(texts + batch(towns_and_staff, 1))  # and a second text to one phone in the batch
    assert sorted(answered) == [phone(0), phone(1), phone(3)]
    assert sent_to(gateway) == [phone(n) for n in range(4)]  # each once
    assert OutboxMessage.objects.count() == 4
    assert send(texts) == {} and len(gateway.sent) == 4  # the job again: nothing twice


def test_a_throttled_call_leaves_its_texts_to_send_again_and_the_others_go(towns_and_staff, gateway):
    gateway.fail_next(None, "isv.BUSINESS_LIMIT_CONTROL")  # the second call of three
    answered = send(batch(towns_and_staff, 250))
    waiting = [phone(n) for n in range(100, 200)]
    assert [p for p, status in answered.items() if status == "retry"] == waiting
    assert sent_to(gateway) == [phone(n) for n in range(250) if phone(n) not in waiting]
    retried = OutboxMessage.objects.filter(status=OutboxMessage.Status.RETRY)
    assert retried.count() == 100 and {r.error_code for r in retried} == {"isv.BUSINESS_LIMIT_CONTROL"}
    assert all(r.retry_at > timezone.now() and r.provider_id == "" for r in retried)
    assert sms_send_again(now=later()) == 100  # one by one (SendSms), each claimed first
    assert sent_to(gateway) == [phone(n) for n in range(250)]  # everyone once
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1), ("sent", 2)}
    assert sms_send_again(now=later(60)) == 0


def test_a_refused_call_fails_its_texts_and_is_not_asked_again(towns_and_staff, gateway):
    """The gateway refuses a call as a whole (here a number that is no mobile): its texts fail, the
    other calls' texts go; a refusal is not asked again."""
    texts = batch(towns_and_staff, 150)
    texts[120] = ToSend(
        bureau_id=texts[120].bureau_id, phone="2345678901", text="x", params=texts[120].params
    )
    answered = send(texts)
    assert [status for status in answered.values()].count("failed") == 50
    failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
    assert {r.error_code for r in failed} == {"isv.MOBILE_NUMBER_ILLEGAL"} and failed.count() == 50
    assert len(gateway.sent) == 100 and sms_send_again(now=later()) == 0


def test_no_answer_from_the_gateway_fails_the_call_without_asking_again(towns_and_staff, gateway):
    """The texts of a call whose answer was lost may have gone: never asked again (receipts will say)."""
    gateway.fail_next("timeout")
    answered = send(batch(towns_and_staff, 30))
    assert set(answered.values()) == {"failed"} and len(gateway.sent) == 30
    assert sms_send_again(now=later()) == 0 and len(gateway.sent) == 30


def test_the_receipts_of_a_batch_settle_each_phones_own_text(towns_and_staff, gateway):
    send(batch(towns_and_staff, 3))
    first, second, third = gateway.sent
    assert first["BizId"] == second["BizId"] == third["BizId"]
    settled = sms_reports_record(
        reports=[
            gateway.receipt(first),
            gateway.receipt(second, success=False, code="MK:0001", message="空号"),
        ]
    )
    assert settled == 2
    statuses = dict(OutboxMessage.objects.values_list("phone", "status"))
    assert statuses == {phone(0): "delivered", phone(1): "undelivered", phone(2): "sent"}


def test_the_outbox_only_backend_writes_a_batch(towns_and_staff, settings, max_queries):
    settings.LINJU_SMS_BACKEND = "linju.notify.sms.OutboxOnlyBackend"
    with max_queries(2):
        answered = send(batch(towns_and_staff, 40))
    assert set(answered.values()) == {"written"}
    assert OutboxMessage.objects.filter(status="written", backend="outbox").count() == 40


def test_a_batch_needs_a_reference(towns_and_staff, gateway):
    with pytest.raises(ValueError, match="reference"):
        send_sms_batch(texts=batch(towns_and_staff, 2), purpose="offer", reference="", template="offer")
    assert not OutboxMessage.objects.exists()


def test_the_stand_in_refuses_a_batch_of_more_than_100_or_of_arrays_that_differ(gateway, settings):
    backend = aliyun.AliyunSmsBackend()
    texts = [
        Outgoing(
            phone=phone(n), text="x", template="offer", params={"offer": "o", "link": "l"}, out_id=str(n)
        )
        for n in range(101)
    ]
    params = backend.batch_params(texts, template_code="SMS_100004")
    status, answer = gateway(settings.LINJU_SMS_ALIYUN_ENDPOINT, aliyun.canonical_query(params).encode(), 1)
    assert json.loads(answer)["Code"] == "isv.MOBILE_COUNT_OVER_LIMIT"
    params = backend.batch_params(texts[:3], template_code="SMS_100004")
    params.pop("Signature")
    params["SignNameJson"] = json.dumps(["綦江人社"], ensure_ascii=False)
    params["Signature"] = aliyun.rpc_signature(params, settings.LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET)
    status, answer = gateway(settings.LINJU_SMS_ALIYUN_ENDPOINT, aliyun.canonical_query(params).encode(), 1)
    assert json.loads(answer)["Code"] == "isv.INVALID_PARAMETERS" and gateway.sent == []
    with pytest.raises(ValueError, match="100"):
        backend.send_batch(texts)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_workers_racing_one_batch_send_each_text_once(towns_and_staff, gateway, settings):
    settings.LINJU_SMS_TIMEOUT = 5
    gateway.delay = 0.05
    texts = batch(towns_and_staff, 120)
    results = run_together([lambda: send(texts) for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    claimed = [p for result in results for p in result]
    assert sorted(claimed) == [phone(n) for n in range(120)]  # each phone claimed by one worker
    assert sent_to(gateway) == [phone(n) for n in range(120)]  # and sent once
    assert OutboxMessage.objects.filter(status="sent").count() == 120
