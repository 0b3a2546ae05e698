"""Aliyun's SMS service (短信服务, dysmsapi): SendSms and SendBatchSms through its signed HTTP API,
and its receipts.

The API is Aliyun's RPC style: the parameters of the call and the common ones (AccessKeyId, a nonce,
a timestamp) are signed with HMAC-SHA1 (signature version 1.0, `rpc_signature`) and sent as a form;
the answer is JSON, `Code` "OK" with the message's `BizId`, or an error code. Each text is a template
approved by Aliyun (LINJU_SMS_TEMPLATES gives the code of each of linju/notify/purposes.py) with its
variables as `TemplateParam`; `OutId` is the outbox row's id, which the delivery receipt (SmsReport,
pushed to /notify/sms-reports) carries back.

SendBatchSms sends one template to up to 100 numbers in one call, each with its own variables (the
numbers, the signatures and the variables as three JSON arrays of the same length): the call is
taken or refused as a whole, and answers one `BizId` for all its texts. Its `OutId` is the call's,
not a row's, so it is written `batch-<first row>-<last row>`: a receipt finds each text of a
batch by the BizId and the phone (linju/notify/services.py).

No SDK: the call is small, and the signature is tested against the worked example of Aliyun's
documentation (linju/notify/tests/test_aliyun.py).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.utils.module_loading import import_string

from .sms import GatewayError, Outgoing

API_VERSION = "2017-05-25"
# the gateway did not send: throttled (a number's hourly limit, the account's calls a second) or busy
RETRY_CODES = frozenset(
    {
        "isv.BUSINESS_LIMIT_CONTROL",
        "Throttling",
        "Throttling.User",
        "Throttling.Api",
        "isp.SYSTEM_ERROR",
        "ServiceUnavailable",
    }
)
ANSWER_MAX_BYTES = 64 * 1024
BATCH_LIMIT = 100  # SendBatchSms: at most 100 numbers a call


def percent_encode(value: str) -> str:
    """RFC 3986 encoding of the UTF-8 bytes, as Aliyun signs them: a space is %20, `*` is %2A, `~` stays."""
    return urllib.parse.quote(value, safe="-_.~")


def canonical_query(params: dict[str, str]) -> str:
    """The parameters sorted by name, each name and value percent-encoded, joined by `&`."""
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(params: dict[str, str], method: str = "POST") -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def rpc_signature(params: dict[str, str], secret: str, method: str = "POST") -> str:
    """Base64 of HMAC-SHA1, keyed with the AccessKey secret followed by `&`, of the string to sign."""
    digest = hmac.new(f"{secret}&".encode(), string_to_sign(params, method).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def https_transport(url: str, body: bytes, timeout: float) -> tuple[int, bytes]:
    """POST the form; the status and the answer. A failure before the request was sent (no address,
    refused, a timeout while connecting) says retry: the gateway never had it. A failure while
    waiting for the answer does not: the text may have gone."""
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read(ANSWER_MAX_BYTES)
    except urllib.error.HTTPError as error:
        return error.code, error.read(ANSWER_MAX_BYTES)
    except urllib.error.URLError as error:  # raised while connecting or sending
        raise GatewayError(f"gateway not reached: {error.reason}", code="unreachable", retry=True) from error
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        raise GatewayError(
            f"no answer from the gateway ({error.__class__.__name__}): the text may have been sent",
            code="timeout",
        ) from error


class AliyunSmsBackend:
    name = "aliyun"
    delivers = True
    batch_limit = BATCH_LIMIT

    def __init__(self):
        self.transport = import_string(settings.LINJU_SMS_TRANSPORT)

    def request_params(self, text: Outgoing, *, template_code: str) -> dict[str, str]:
        params = self._common("SendSms") | {
            "PhoneNumbers": text.phone,
            "SignName": settings.LINJU_SMS_SIGN_NAME,
            "TemplateCode": template_code,
            "TemplateParam": json.dumps(text.params, ensure_ascii=False, separators=(",", ":")),
            "OutId": text.out_id,
        }
        params["Signature"] = rpc_signature(params, settings.LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET)
        return params

    def batch_params(self, texts: list[Outgoing], *, template_code: str) -> dict[str, str]:
        """SendBatchSms: the numbers, one signature each and each one's variables, as JSON arrays."""
        compact = {"ensure_ascii": False, "separators": (",", ":")}
        params = self._common("SendBatchSms") | {
            "PhoneNumberJson": json.dumps([text.phone for text in texts]),
            "SignNameJson": json.dumps([settings.LINJU_SMS_SIGN_NAME] * len(texts), **compact),
            "TemplateCode": template_code,
            "TemplateParamJson": json.dumps([text.params for text in texts], **compact),
            "OutId": f"batch-{texts[0].out_id}-{texts[-1].out_id}",
        }
        params["Signature"] = rpc_signature(params, settings.LINJU_SMS_ALIYUN_ACCESS_KEY_SECRET)
        return params

    def _common(self, action: str) -> dict[str, str]:
        return {
            "AccessKeyId": settings.LINJU_SMS_ALIYUN_ACCESS_KEY_ID,
            "Action": action,
            "Format": "JSON",
            "RegionId": settings.LINJU_SMS_ALIYUN_REGION,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,  # a new one each time it is asked
            "SignatureVersion": "1.0",
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
        }

    def _template_code(self, template: str) -> str:
        template_code = (settings.LINJU_SMS_TEMPLATES or {}).get(template)
        if not template_code:
            raise GatewayError(
                f"no template code for {template!r} in LINJU_SMS_TEMPLATES", code="no_template"
            )
        return template_code

    def send(self, text: Outgoing) -> str:
        template_code = self._template_code(text.template)
        return self._call(self.request_params(text, template_code=template_code))

    def send_batch(self, texts: list[Outgoing]) -> str:
        """Up to 100 texts of one template in one call: the call's BizId, shared by its texts. The
        gateway takes or refuses the call as a whole (GatewayError)."""
        if not texts:
            return ""
        if len(texts) > BATCH_LIMIT or len({text.template for text in texts}) != 1:
            raise ValueError(f"a SendBatchSms call takes up to {BATCH_LIMIT} texts of one template")
        if len(texts) == 1:  # SendSms: the receipt finds the row by our id
            return self.send(texts[0])
        template_code = self._template_code(texts[0].template)
        return self._call(self.batch_params(texts, template_code=template_code))

    def _call(self, params: dict[str, str]) -> str:
        body = canonical_query(params).encode()
        status, raw = self.transport(settings.LINJU_SMS_ALIYUN_ENDPOINT, body, settings.LINJU_SMS_TIMEOUT)
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = {}
        if not isinstance(answer, dict):
            answer = {}
        code = str(answer.get("Code") or f"HTTP {status}")
        if status == 200 and code == "OK" and answer.get("BizId"):
            return str(answer["BizId"])
        message = str(answer.get("Message") or raw[:200].decode(errors="replace"))
        retry = code in RETRY_CODES or (not answer and status in (502, 503, 504))
        raise GatewayError(f"{code}: {message}", code=code, retry=retry)
