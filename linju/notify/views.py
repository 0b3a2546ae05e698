"""The SMS gateway's delivery receipts: Aliyun pushes its SmsReport here (an HTTP batch push).

The address given to Aliyun carries the shared secret: /notify/sms-reports?token=<LINJU_SMS_REPORT_TOKEN>
(or the header X-Gateway-Key). Without the setting, or with a wrong token, the page is not there
(404). Aliyun waits for {"code": 0} and pushes again otherwise.
"""

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from linju.core.declared import public

from . import services

MAX_BODY_BYTES = 256 * 1024
MAX_REPORTS = 1000  # a push holds at most a few hundred


def _refused(status: int, message: str) -> JsonResponse:
    return JsonResponse({"code": 1, "msg": message}, status=status)


@public  # the gateway's receipts: the shared secret in the address is checked below
@csrf_exempt
@require_POST
def sms_reports(request):
    token = settings.LINJU_SMS_REPORT_TOKEN
    given = request.GET.get("token") or request.headers.get("X-Gateway-Key", "")
    if not token or not constant_time_compare(given, token):
        raise Http404
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return _refused(400, "bad Content-Length")
    if length > MAX_BODY_BYTES:
        return _refused(413, "body too large")
    try:
        reports = json.loads(request.body)
    except ValueError:
        return _refused(400, "not JSON")
    if isinstance(reports, dict):
        reports = [reports]
    if (
        not isinstance(reports, list)
        or len(reports) > MAX_REPORTS
        or not all(isinstance(r, dict) for r in reports)
    ):
        return _refused(400, "a list of at most 1000 reports")
    services.sms_reports_record(reports=reports)
    return JsonResponse({"code": 0, "msg": "成功"})
