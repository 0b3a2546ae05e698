"""The SMS gateway's replies (POST /api/v1/outreach/sms-replies), served here since a reply may
answer an offer (linju/offers/services/replies.py); the address the gateway was given is kept."""

from django.conf import settings
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from linju.access import guards
from linju.core.errors import NotFound

from .services.replies import is_stop, text_reply_receive

router = Router(tags=["outreach"])


class SmsReplyIn(Schema):
    phone: str = Field(max_length=20)
    text: str = Field(max_length=160)


class SmsReplyOut(Schema):
    withdrawn: bool


@router.post(
    "/outreach/sms-replies",
    response=SmsReplyOut,
    summary="A text a resident sent back (the SMS gateway calls this, with its key)",
    description="Header `X-Gateway-Key`: the key in LINJU_SMS_REPLY_KEY. A reply of TD or 退订 ends the "
    "sender's booth texts and offer texts; 1, 2 or 3 answers the offer last texted to the phone (yes, no, "
    "a cadre to come); anything else is kept for staff to read. The answer does not say whether the "
    "number was known.",
)
@guards.public
def sms_reply(request, payload: SmsReplyIn):
    key = settings.LINJU_SMS_REPLY_KEY
    if not key or not constant_time_compare(request.headers.get("X-Gateway-Key", ""), key):
        raise NotFound(_("Not found."))
    text_reply_receive(phone=payload.phone, text=payload.text)
    return {"withdrawn": is_stop(payload.text)}
