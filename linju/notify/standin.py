"""A stand-in for Aliyun's SendSms and SendBatchSms, for the tests: the same HTTP contract, answered here.

It checks what the real gateway checks (the signature with LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET, the
parameters, a template code and its variables as JSON; for a batch, the three JSON arrays of one
length, at most 100 numbers, each a mainland mobile) and answers as dysmsapi does: `Code` "OK" and
a `BizId` (one for a whole batch), or an error that refuses the whole call. `sent` holds one entry
per text taken, a batch's texts each as its own (`PhoneNumbers`, `TemplateParam`, the shared BizId). On demand it fails as the real one does: a code (throttled:
isv.BUSINESS_LIMIT_CONTROL), an HTTP error, a gateway never reached, a timeout after the text went,
a delay. `receipt` builds the SmsReport Aliyun pushes back for a sent text.

Chosen by settings: LINJU_SMS_BACKEND=linju.notify.aliyun.AliyunSmsBackend with
LINJU_SMS_TRANSPORT=linju.notify.standin.transport (`check --deploy` refuses it in production).
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.parse

from django.conf import settings
from django.utils import timezone

from .aliyun import rpc_signature
from .sms import GatewayError

COMMON = (
    "AccessKeyId",
    "Action",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "TemplateCode",
    "Timestamp",
    "Version",
)
REQUIRED = {
    "SendSms": (*COMMON, "PhoneNumbers", "SignName"),
    "SendBatchSms": (*COMMON, "PhoneNumberJson", "SignNameJson"),
}
BATCH_LIMIT = 100
MOBILE = re.compile(r"(\+?86|0086)?1\d{10}")


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
        if params.get("Action") not in REQUIRED:
            return self._error(404, "InvalidAction.NotFound", "Specified api is not found.")
        if any(not params.get(name) for name in REQUIRED[params["Action"]]):
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
        if params["Action"] == "SendBatchSms":
            return self._batch(params)
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

    def _batch(self, params: dict) -> tuple[int, bytes]:
        """SendBatchSms: taken or refused as a whole; one BizId for every text of the call."""
        try:
            phones = json.loads(params["PhoneNumberJson"])
            signs = json.loads(params["SignNameJson"])
            variables = json.loads(params.get("TemplateParamJson") or "[]")
        except ValueError:
            return self._error(200, "isv.INVALID_JSON_PARAM", "a JSON parameter is not JSON")
        if not all(isinstance(value, list) for value in (phones, signs, variables)):
            return self._error(200, "isv.INVALID_JSON_PARAM", "the JSON parameters are arrays")
        if len(phones) > BATCH_LIMIT:
            return self._error(200, "isv.MOBILE_COUNT_OVER_LIMIT", "at most 100 numbers a call")
        if not phones or len(signs) != len(phones) or len(variables) != len(phones):
            return self._error(
                200, "isv.INVALID_PARAMETERS", "the numbers, signatures and variables differ in number"
            )
        if not all(isinstance(phone, str) and MOBILE.fullmatch(phone) for phone in phones):
            return self._error(200, "isv.MOBILE_NUMBER_ILLEGAL", "a number is not a mobile number")
        if not all(
            isinstance(each, dict) and all(isinstance(v, str) for v in each.values()) for each in variables
        ):
            return self._error(200, "isv.INVALID_JSON_PARAM", "TemplateParamJson is not objects of strings")
        shared = {
            key: value
            for key, value in params.items()
            if key not in ("PhoneNumberJson", "SignNameJson", "TemplateParamJson")
        }
        with self.lock:
            biz_id = f"{900000 + len(self.sent)}^0"
            for phone, sign, each in zip(phones, signs, variables, strict=True):
                self.sent.append(
                    shared
                    | {
                        "PhoneNumbers": phone,
                        "SignName": sign,
                        "TemplateParam": json.dumps(each, ensure_ascii=False, separators=(",", ":")),
                        "BizId": biz_id,
                    }
                )
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
