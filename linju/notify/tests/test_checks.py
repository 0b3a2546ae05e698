"""`check --deploy` says when production would not send its texts: the outbox-only backend, a
gateway without its keys, signature or a template code for every text, the tests' stand-in, and
(a warning) no secret for the delivery receipts."""

import pytest

from linju.notify.checks import texts_are_really_sent
from linju.notify.purposes import TEMPLATES


@pytest.fixture
def configured(settings):
    settings.LINJU_SMS_BACKEND = "linju.notify.aliyun.AliyunSmsBackend"
    settings.LINJU_SMS_TRANSPORT = "linju.notify.aliyun.https_transport"
    settings.LINJU_SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-id"
    settings.LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET = "secret"
    settings.LINJU_SMS_SIGN_NAME = "綦江人社"
    settings.LINJU_SMS_TEMPLATES = {key: f"SMS_{100000 + n}" for n, key in enumerate(TEMPLATES)}
    settings.LINJU_SMS_REPORT_TOKEN = "a-long-shared-secret"
    return settings


def found():
    return [(message.id, message.msg) for message in texts_are_really_sent(None)]


def test_a_gateway_fully_configured_passes(configured):
    assert found() == []


def test_the_outbox_only_backend_is_an_error_naming_the_setting(configured):
    configured.LINJU_SMS_BACKEND = "linju.notify.sms.OutboxOnlyBackend"
    [(code, message)] = found()
    assert code == "linju.E010" and "LINJU_SMS_BACKEND" in message


def test_a_backend_that_cannot_be_imported_is_an_error(configured):
    configured.LINJU_SMS_BACKEND = "linju.notify.nowhere.Gateway"
    assert [code for code, _ in found()] == ["linju.E010"]


def test_missing_keys_and_signature_are_named(configured):
    configured.LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET = ""
    configured.LINJU_SMS_SIGN_NAME = ""
    [(code, message)] = found()
    assert code == "linju.E011"
    assert "LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET" in message and "LINJU_SMS_SIGN_NAME" in message
    assert "LINJU_SMS_ALIYUN_ACCESS_KEY_ID" not in message


def test_each_text_without_a_template_code_is_named(configured):
    configured.LINJU_SMS_TEMPLATES = {
        k: v for k, v in configured.LINJU_SMS_TEMPLATES.items() if k not in ("due_soon", "referral")
    }
    [(code, message)] = found()
    assert code == "linju.E012" and "due_soon" in message and "referral" in message
    assert "accepted" not in message
    configured.LINJU_SMS_TEMPLATES = None  # not JSON in the environment
    [(code, message)] = found()
    assert code == "linju.E012" and "LINJU_SMS_TEMPLATES" in message


def test_the_stand_in_is_an_error_and_no_receipt_secret_a_warning(configured):
    configured.LINJU_SMS_TRANSPORT = "linju.notify.standin.transport"
    configured.LINJU_SMS_REPORT_TOKEN = ""
    assert [code for code, _ in found()] == ["linju.E013", "linju.W010"]
