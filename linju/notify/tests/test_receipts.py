"""The gateway's delivery receipts (Aliyun's SmsReport, pushed as a JSON list) settle the outbox: a
text delivered or not, with the receipt's code and time. The push proves itself with the shared
secret; a body too large, not JSON or not a list of reports is refused."""

import json

import pytest

from linju.notify.models import OutboxMessage
from linju.notify.sms import send_sms
from linju.notify.tests.test_aliyun import RETURNED

TOKEN = "a-long-shared-secret-0123456789"
URL = f"/notify/sms-reports?token={TOKEN}"


@pytest.fixture
def sent(towns_and_staff, standin, settings):
    settings.LINJU_SMS_REPORT_TOKEN = TOKEN
    messages = [
        send_sms(
            bureau_id=towns_and_staff.yongxin.bureau_id,
            phone=phone,
            text="x",
            purpose="returned",
            reference="QJ-20261205-0001@2",
            params=RETURNED,
        )
        for phone in ("13912345678", "13812345678")
    ]
    return messages, standin.sent


def push(client, reports, url=URL, **headers):
    return client.post(url, data=json.dumps(reports), content_type="application/json", **headers)


def test_receipts_record_delivered_and_not_delivered(client, sent, standin):
    (first, second), taken = sent
    answer = push(
        client,
        [
            standin.receipt(taken[0]),
            standin.receipt(taken[1], success=False, code="MK:0000", message="空号"),
        ],
    )
    assert answer.status_code == 200 and answer.json() == {"code": 0, "msg": "成功"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == OutboxMessage.Status.DELIVERED and first.error_code == "DELIVERED"
    assert first.reported_at is not None and first.error == ""
    assert second.status == OutboxMessage.Status.UNDELIVERED
    assert (second.error_code, second.error) == ("MK:0000", "空号")
    # pushed again (Aliyun pushes until it hears code 0): the same outcome
    assert push(client, [standin.receipt(taken[0])]).status_code == 200
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.DELIVERED).count() == 1


def test_a_receipt_finds_its_text_by_the_gateways_id_when_ours_is_missing(client, sent, standin):
    (first, _), taken = sent
    report = standin.receipt(taken[0]) | {"out_id": ""}
    assert push(client, report).status_code == 200  # one report, not in a list
    first.refresh_from_db()
    assert first.status == OutboxMessage.Status.DELIVERED


def test_a_receipt_settles_a_text_whose_answer_was_lost(client, towns_and_staff, standin, settings):
    settings.LINJU_SMS_REPORT_TOKEN = TOKEN
    standin.fail_next("timeout")
    message = send_sms(
        bureau_id=towns_and_staff.yongxin.bureau_id,
        phone="13912345678",
        text="x",
        purpose="returned",
        reference="r",
        params=RETURNED,
    )
    assert message.status == OutboxMessage.Status.FAILED and message.provider_id == ""
    push(client, [standin.receipt(standin.sent[0])])
    message.refresh_from_db()
    assert (
        message.status == OutboxMessage.Status.DELIVERED and message.provider_id == standin.sent[0]["BizId"]
    )


def test_a_receipt_with_another_phone_or_for_an_outbox_only_text_changes_nothing(
    client, sent, standin, towns_and_staff
):
    (first, _), taken = sent
    push(client, [standin.receipt(taken[0]) | {"phone_number": "13700000000", "biz_id": ""}])
    first.refresh_from_db()
    assert first.status == OutboxMessage.Status.SENT
    written = OutboxMessage.objects.create(
        bureau_id=towns_and_staff.yongxin.bureau_id,
        phone="13912345678",
        text="x",
        purpose="returned",
        backend="outbox",
        status=OutboxMessage.Status.WRITTEN,
    )
    push(client, [standin.receipt(taken[0]) | {"out_id": str(written.pk), "biz_id": ""}])
    written.refresh_from_db()
    assert written.status == OutboxMessage.Status.WRITTEN


def test_receipts_need_the_shared_secret(client, sent, standin, settings):
    (first, _), taken = sent
    assert push(client, [standin.receipt(taken[0])], url="/notify/sms-reports?token=wrong").status_code == 404
    assert push(client, [standin.receipt(taken[0])], url="/notify/sms-reports").status_code == 404
    assert (
        push(
            client, [standin.receipt(taken[0])], url="/notify/sms-reports", HTTP_X_GATEWAY_KEY=TOKEN
        ).status_code
        == 200
    )
    settings.LINJU_SMS_REPORT_TOKEN = ""
    assert push(client, [standin.receipt(taken[0])], url="/notify/sms-reports?token=").status_code == 404
    first.refresh_from_db()
    assert first.status == OutboxMessage.Status.DELIVERED  # only the push with the header


def test_a_push_too_large_or_not_a_list_of_reports_is_refused(client, sent, standin):
    _, taken = sent
    big = [standin.receipt(taken[0]) | {"err_msg": "x" * 1000}] * 300  # about 400 kB
    assert push(client, big).status_code == 413
    assert client.post(URL, data="not json", content_type="application/json").status_code == 400
    assert push(client, ["a", "b"]).status_code == 400
    assert push(client, [{}] * 1001).status_code == 400
    assert client.get(URL).status_code == 405
    assert not OutboxMessage.objects.filter(status=OutboxMessage.Status.DELIVERED).exists()


def test_a_push_costs_one_update_a_report(sent, standin, django_assert_num_queries):
    from linju.notify.services import sms_reports_record

    _, taken = sent
    reports = [standin.receipt(taken[0]), standin.receipt(taken[1]), {"out_id": "", "biz_id": ""}]
    with django_assert_num_queries(2 + 2):  # a savepoint and its release (a transaction outside the tests)
        assert sms_reports_record(reports=reports) == 2
