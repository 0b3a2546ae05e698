"""Texts through Aliyun's SMS API (dysmsapi SendSms): the request is signed as Aliyun signs it, each
text is its template with its variables, and what the gateway answers (a message id, a throttle, a
refusal, no answer at all) is recorded on the outbox. The gateway here is the stand-in
(linju/notify/standin.py), which checks the signature and answers as dysmsapi does."""

import datetime
import json
import urllib.parse

import pytest
from django.db import connection
from django.utils import timezone

from linju.cases.models import Case
from linju.cases.tests.factories import case_at_counter
from linju.core.tests.threads import run_together
from linju.notify import aliyun
from linju.notify.models import OutboxMessage
from linju.notify.sms import send_sms, sms_send_again

RETURNED = {"number": "QJ-20261205-0001", "reason": "不属于本机关受理范围"}


def returned_text(towns_and_staff, reference="QJ-20261205-0001@2", **extra):
    return send_sms(
        bureau_id=towns_and_staff.yongxin.bureau_id,
        phone="13912345678",
        text="【綦江人社】您的申请QJ-20261205-0001已退回:不属于本机关受理范围",
        purpose="returned",
        reference=reference,
        params=RETURNED,
        **extra,
    )


# Aliyun's worked example of a signed SendSms call ("HTTP协议及签名" in the SMS documentation: AccessKey
# testId / testSecret, a GET with Format XML). The expected signature is the one that example prints,
# as recalled (this machine has no web access to read it again); it was checked independently of this
# code with `printf '%s' <string to sign> | openssl dgst -sha1 -hmac 'testSecret&' -binary | base64`.
EXAMPLE = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}


def test_the_signature_of_aliyuns_worked_example():
    assert aliyun.rpc_signature(EXAMPLE, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_the_string_to_sign_follows_the_steps():
    """Sorted by name; each name and value encoded as RFC 3986 (a space %20, `*` %2A, `~` kept, UTF-8
    bytes); joined; then the method, the encoded "/" and the encoded query, joined by `&`."""
    params = {"b": "a b*c~", "A": "綦", "a": "x=y&z"}
    query = "A=%E7%B6%A6&a=x%3Dy%26z&b=a%20b%2Ac~"  # written by hand from the steps
    assert aliyun.canonical_query(params) == query
    assert aliyun.string_to_sign(params) == (
        "POST&%2F&A%3D%25E7%25B6%25A6%26a%3Dx%253Dy%2526z%26b%3Da%2520b%252Ac~"
    )
    assert aliyun.rpc_signature(params, "s") != aliyun.rpc_signature(params, "t")


def test_a_text_goes_as_its_template_with_its_variables_and_keeps_the_gateways_id(towns_and_staff, standin):
    message = returned_text(towns_and_staff)
    assert message.status == OutboxMessage.Status.SENT and message.backend == "aliyun"
    assert message.attempts == 1 and message.error == "" and message.provider_id == "900000^0"
    [sent] = standin.sent
    assert sent["Action"] == "SendSms" and sent["Version"] == "2017-05-25"
    assert sent["PhoneNumbers"] == "13912345678" and sent["SignName"] == "綦江人社"
    assert sent["TemplateCode"] == "SMS_100002" and json.loads(sent["TemplateParam"]) == RETURNED
    assert sent["OutId"] == str(message.pk)
    assert OutboxMessage.objects.get(pk=message.pk).provider_id == "900000^0"


def test_the_stand_in_refuses_a_request_changed_after_it_was_signed(settings, standin):
    backend = aliyun.AliyunSmsBackend()
    from linju.notify.sms import Outgoing

    text = Outgoing(phone="13912345678", text="x", template="returned", params=RETURNED, out_id="1")
    params = backend.request_params(text, template_code="SMS_100002")
    params["PhoneNumbers"] = "13900000000"
    status, answer = standin(settings.LINJU_SMS_ALIYUN_ENDPOINT, aliyun.canonical_query(params).encode(), 1)
    assert status == 400 and json.loads(answer)["Code"] == "SignatureDoesNotMatch"
    assert standin.sent == []


def later(minutes=10):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_a_throttled_text_waits_and_is_asked_again_until_sent_once(towns_and_staff, standin):
    standin.fail_next("isv.BUSINESS_LIMIT_CONTROL", "unreachable")
    message = returned_text(towns_and_staff)
    assert message.status == OutboxMessage.Status.RETRY and message.attempts == 1
    assert message.error_code == "isv.BUSINESS_LIMIT_CONTROL" and message.retry_at > timezone.now()
    assert sms_send_again() == 0  # its time has not come
    assert sms_send_again(now=later()) == 1
    message.refresh_from_db()
    assert (message.status, message.error_code, message.attempts) == ("retry", "unreachable", 2)
    assert sms_send_again(now=later()) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 3 and message.retry_at is None
    assert message.error == "" and message.provider_id == standin.sent[0]["BizId"]
    assert standin.calls == 3 and len(standin.sent) == 1
    # asked again as it was first: the same template, variables and our id
    assert json.loads(standin.sent[0]["TemplateParam"]) == RETURNED and standin.sent[0]["OutId"] == str(
        message.pk
    )
    assert sms_send_again(now=later(60)) == 0


def test_a_gateway_throttled_past_its_retries_is_recorded_as_failed(towns_and_staff, standin):
    standin.fail_next(*["isv.BUSINESS_LIMIT_CONTROL"] * 3)
    message = returned_text(towns_and_staff)
    while sms_send_again(now=later(60)):
        pass
    message.refresh_from_db()
    assert (message.status, message.error_code, message.attempts) == (
        "failed",
        "isv.BUSINESS_LIMIT_CONTROL",
        3,
    )
    assert message.retry_at is None and standin.sent == [] and standin.calls == 3


def test_a_busy_gateway_is_asked_again(towns_and_staff, standin):
    standin.fail_next(503)
    assert returned_text(towns_and_staff).status == OutboxMessage.Status.RETRY
    sms_send_again(now=later())
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT and standin.calls == 2


def test_a_refusal_is_not_asked_again(towns_and_staff, standin):
    standin.fail_next("isv.MOBILE_NUMBER_ILLEGAL")
    message = returned_text(towns_and_staff)
    assert message.status == OutboxMessage.Status.FAILED and message.error_code == "isv.MOBILE_NUMBER_ILLEGAL"
    assert message.attempts == 1 and standin.calls == 1


def test_no_answer_after_the_text_went_is_not_asked_again(towns_and_staff, standin):
    """The text may have gone: asking again could send it twice. Its receipt will say (by our id)."""
    standin.fail_next("timeout")
    message = returned_text(towns_and_staff)
    assert message.status == OutboxMessage.Status.FAILED and message.error_code == "timeout"
    assert message.attempts == 1 and len(standin.sent) == 1 and standin.sent[0]["OutId"] == str(message.pk)


def test_a_gateway_slower_than_the_timeout_is_recorded(towns_and_staff, standin):
    standin.delay = 0.2  # the timeout is 0.05 s
    message = returned_text(towns_and_staff)
    assert message.status == OutboxMessage.Status.FAILED and message.error_code == "timeout"
    assert "may have been sent" in message.error and len(standin.sent) == 1  # it went all the same


def test_a_text_without_a_template_code_fails_without_asking_the_gateway(towns_and_staff, standin, settings):
    settings.LINJU_SMS_TEMPLATES = {"accepted": "SMS_100001"}
    message = returned_text(towns_and_staff)
    assert message.status == OutboxMessage.Status.FAILED and message.error_code == "no_template"
    assert "LINJU_SMS_TEMPLATES" in message.error and standin.calls == 0


def test_a_text_whose_variables_do_not_match_its_template_is_refused_in_the_tests(towns_and_staff, standin):
    with pytest.raises(ValueError, match="returned"):
        send_sms(
            bureau_id=towns_and_staff.yongxin.bureau_id, phone="13912345678", text="x", purpose="returned"
        )
    assert not OutboxMessage.objects.exists()


def accept(served, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return case_at_counter(served)


def test_a_case_accepted_while_the_gateway_fails_stays_accepted(
    served, standin, django_capture_on_commit_callbacks
):
    """A gateway's failure never undoes the case it reports on."""
    standin.fail_next("isv.BUSINESS_LIMIT_CONTROL")
    case = accept(served, django_capture_on_commit_callbacks)
    assert Case.objects.filter(pk=case.pk, status="accepted").exists()
    message = OutboxMessage.objects.get(purpose="accepted")
    assert message.status == OutboxMessage.Status.RETRY and message.attempts == 1


def test_a_cases_text_sends_its_number_item_and_promise_as_the_templates_variables(
    served, standin, django_capture_on_commit_callbacks
):
    case = accept(served, django_capture_on_commit_callbacks)
    [sent] = standin.sent
    variables = json.loads(sent["TemplateParam"])
    assert sent["TemplateCode"] == "SMS_100001" and set(variables) == {"number", "item", "promise"}
    assert variables["number"] == case.number and variables["item"] == "失业保险金申领"
    message = OutboxMessage.objects.get(purpose="accepted")
    assert variables["promise"] in message.text and message.status == OutboxMessage.Status.SENT


def test_the_request_is_a_signed_form(standin, settings):
    from linju.notify.sms import Outgoing

    text = Outgoing(phone="13912345678", text="x", template="returned", params=RETURNED, out_id="7")
    params = aliyun.AliyunSmsBackend().request_params(text, template_code="SMS_100002")
    body = aliyun.canonical_query(params)
    parsed = dict(urllib.parse.parse_qsl(body))
    signature = parsed.pop("Signature")
    assert signature == aliyun.rpc_signature(parsed, "test-secret")
    assert parsed["Timestamp"].endswith("Z") and len(parsed["SignatureNonce"]) == 32


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_two_workers_sending_again_at_once_ask_the_gateway_once(towns_and_staff, standin, settings):
    settings.LINJU_SMS_TIMEOUT = 5
    standin.fail_next("isv.BUSINESS_LIMIT_CONTROL")
    returned_text(towns_and_staff)
    standin.delay = 0.2
    results = run_together([lambda: sms_send_again(now=later()) for _ in range(4)])
    assert sorted(results) == [0, 0, 0, 1] and standin.calls == 2 and len(standin.sent) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
