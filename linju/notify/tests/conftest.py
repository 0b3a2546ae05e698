"""The notify tests' gateway: Aliyun's API answered by the stand-in (linju/notify/standin.py)."""

import pytest

from linju.notify.standin import transport

TEMPLATES = {
    "accepted": "SMS_100001",
    "returned": "SMS_100002",
    "suspended": "SMS_100003",
}


@pytest.fixture
def standin(settings):
    settings.LINJU_SMS_BACKEND = "linju.notify.aliyun.AliyunSmsBackend"
    settings.LINJU_SMS_TRANSPORT = "linju.notify.standin.transport"
    settings.LINJU_SMS_ALIYUN_ACCESS_KEY_ID = "LTAI-test-id"
    settings.LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET = "test-secret"
    settings.LINJU_SMS_SIGN_NAME = "綦江人社"
    settings.LINJU_SMS_TEMPLATES = TEMPLATES
    settings.LINJU_SMS_RETRIES = 2
    settings.LINJU_SMS_TIMEOUT = 0.05
    transport.reset()
    yield transport
    transport.reset()
