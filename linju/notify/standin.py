"""A stand-in for Aliyun's SendSms, for the tests: the same HTTP contract, answered here.

It checks what the real gateway checks (the signature with LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET, the
parameters, a template code and its variables as JSON) and answers as dysmsapi does: `Code` "OK" and
a `BizId`, or an error. On demand it fails as the real one does: a code (throttled:
isv.BUSINESS_LIMIT_CONTROL), an HTTP error, a gateway never reached, a timeout after the text went,
a delay. `receipt` builds the SmsReport Aliyun pushes back for a sent text.

Chosen by settings: LINJU_SMS_BACKEND=linju.notify.aliyun.AliyunSmsBackend with
LINJU_SMS_TRANSPORT=linju.notify.standin.transport (`check --deploy` refuses it in production).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse

from django.conf import settings
from django.utils import timezone

from .aliyun import rpc_signature
from .sms import GatewayError

REQUIRED = (
    "AccessKeyId",
    "Action",
    "PhoneNumbers",
    "SignName",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "TemplateCode",
    "Timestamp",
    "Version",
)


class StandInDysmsapi:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.sent: list[dict] = []  # the parameters of each text the stand-in took, with its BizId
        self.calls = 0
        self.failures: list = []  # played one per call, in order
        self.delay = 0.0
        self.nonces: set[str] = set()

    def fail_next(self, *failures) -> None:
        """Each failure is a code ("isv.BUSINESS_LIMIT_CONTROL"), an HTTP status (503),
        "unreachable" or "timeout" (the text went, the answer did not come)."""
        self.failures.extend(failures)

    def __call__(self, url: str, body: bytes, timeout: float) -> tuple[int, bytes]:
        with self.lock:
            self.calls += 1
            failure = self.failures.pop(0) if self.failures else None
        if failure == "unreachable":
            raise GatewayError(
                "gateway not reached: [Errno 111] Connection refused", code="unreachable", retry=True
            )
        if self.delay:
            time.sleep(min(self.delay, timeout))
        status, answer = self._answer(body, failure)
        if self.delay > timeout:  # a slow gateway still does what it was asked; the answer is lost
            failure = "timeout"
        if failure == "timeout":
            raise GatewayError(
                "no answer from the gateway (TimeoutError): the text may have been sent", code="timeout"
            )
        return status, answer

    def _answer(self, body: bytes, failure) -> tuple[int, bytes]:
        params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True))
        signature = params.pop("Signature", "")
        if any(not params.get(name) for name in REQUIRED):
            return self._error(400, "MissingParameter", "a required parameter is missing")
        if params["AccessKeyId"] != settings.LINJU_SMS_ALIYUN_ACCESS_KEY_ID:
            return self._error(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if signature != rpc_signature(params, settings.LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET):
            return self._error(
                400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."
            )
        if params["SignatureNonce"] in self.nonces:
            return self._error(400, "SignatureNonceUsed", "Specified signature nonce was used already.")
        self.nonces.add(params["SignatureNonce"])
        if isinstance(failure, int):
            return failure, b"<html>Service Unavailable</html>"
        if isinstance(failure, str) and failure != "timeout":
            return self._error(200 if failure.startswith("isv.") else 400, failure, "refused by the stand-in")
        if not params["TemplateCode"].startswith("SMS_"):
            return self._error(200, "isv.SMS_TEMPLATE_ILLEGAL", "the template is not approved")
        try:
            variables = json.loads(params.get("TemplateParam") or "{}")
        except ValueError:
            return self._error(200, "isv.INVALID_JSON_PARAM", "TemplateParam is not JSON")
        if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
            return self._error(200, "isv.INVALID_JSON_PARAM", "TemplateParam is not an object of strings")
        with self.lock:
            biz_id = f"{900000 + len(self.sent)}^0"
            self.sent.append(params | {"BizId": biz_id})
        return 200, json.dumps(
            {"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": f"standin-{self.calls}"}
        ).encode()

    def _error(self, status: int, code: str, message: str) -> tuple[int, bytes]:
        return status, json.dumps(
            {"Code": code, "Message": message, "RequestId": f"standin-{self.calls}"}
        ).encode()

    def receipt(
        self, sent: dict, *, success: bool = True, code: str = "DELIVERED", message: str = "用户接收成功"
    ) -> dict:
        """The SmsReport Aliyun pushes for a text it took (one element of the pushed JSON list)."""
        now = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        return {
            "phone_number": sent["PhoneNumbers"],
            "send_time": now,
            "report_time": now,
            "success": success,
            "err_code": code,
            "err_msg": message,
            "sms_size": "1",
            "biz_id": sent["BizId"],
            "out_id": sent.get("OutId", ""),
        }


transport = StandInDysmsapi()
