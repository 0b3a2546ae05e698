"""A person's own page (我的): they prove it is them by a code texted to the phone the bureau holds
for them, with the last four characters of their ID number; the page is theirs for PAGE_MINUTES.

The answer to "send me a code" is the same whether or not the phone is known (a stranger learns
nothing from it), and so is a wrong code's. Codes are kept as a keyed hash, good for
MyPageCode.CODE_MINUTES and MyPageCode.TRIES tries. Texts to one phone are counted in the shared
cache whoever asks (PHONE_CODES an hour), and the page's views count each client address."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.core.errors import DomainError
from linju.core.limits import try_take
from linju.notify.sms import send_sms
from linju.people.phones import normalize_phone
from linju.people.selectors import residents_by_phone_and_id_last4

from ..models import MyPageCode

PAGE_MINUTES = 30
PHONE_CODES = 5  # codes texted to one phone in an hour
MY_PAGE_CODE_TEXT = _(
    "[Qijiang HRSS] Your code for your own page is %(code)s, good for %(minutes)s minutes. "
    "Staff never ask for it: tell it to no one."
)


class TooManyCodes(DomainError):
    status = 429
    code = "too_many_codes"


@dataclass(frozen=True)
class MyPagePass:
    """Whose page is open, and until when: the records of one person (one in each bureau that
    holds them)."""

    resident_ids: tuple[int, ...]
    until: datetime.datetime


def _keyed(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _phone(raw: str) -> str:
    try:
        return normalize_phone(raw)
    except DomainError as error:
        error.field = "phone"
        raise


def _last4(raw: str) -> str:
    last4 = "".join(str(raw).split()).upper()
    if len(last4) != 4 or not (last4[:3].isdigit() and (last4[3].isdigit() or last4[3] == "X")):
        raise DomainError(_("Write the last four characters of your ID number."), field="last4")
    return last4


def my_page_code_send(*, phone: str, last4: str, now: datetime.datetime | None = None) -> None:
    """Text a code to the phone when the bureau holds it for someone whose ID number ends so;
    nothing otherwise, and the same answer (None). At most PHONE_CODES an hour to one phone, known
    or not (429, in words). Durable: the code's row commits, then its text is sent."""
    phone, last4 = _phone(phone), _last4(last4)
    phone_key = _keyed(f"phone:{phone}")
    if try_take(f"linju:my-page-codes:{phone_key[:32]}", window=3600) > PHONE_CODES:
        raise TooManyCodes(_("Too many codes were asked for this phone: try again in an hour."))
    residents = residents_by_phone_and_id_last4(phone=phone, last4=last4)
    if len({resident.id_number for resident in residents}) != 1:
        return None  # nobody, or two people under one phone and four characters: no page by text
    now = now or timezone.now()
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic(durable=True):
        row = MyPageCode.objects.create(
            residents=[resident.pk for resident in residents],
            phone_key=phone_key,
            code_hash="",
            expires_at=now + datetime.timedelta(minutes=MyPageCode.CODE_MINUTES),
        )
        MyPageCode.objects.filter(pk=row.pk).update(code_hash=_keyed(f"code:{row.pk}:{code}"))
        # an older code of this phone stops working when a new one is sent
        MyPageCode.objects.filter(phone_key=phone_key, used_at__isnull=True).exclude(pk=row.pk).update(
            used_at=now
        )
    with translation.override("zh-hans"):
        values = {"code": code, "minutes": str(MyPageCode.CODE_MINUTES)}
        text = str(MY_PAGE_CODE_TEXT) % values
    send_sms(
        bureau_id=residents[0].bureau_id,
        phone=phone,
        text=text,
        purpose="my_page_code",
        reference=f"my-{row.pk}",
        params=values,
    )
    return None


WRONG_CODE = _("That code is wrong or too old. Ask for a new one.")


def my_page_code_check(*, phone: str, code: str, now: datetime.datetime | None = None) -> MyPagePass:
    """The page's pass for the phone's latest code, when `code` is it, unused, in time and within
    its tries; else the same refusal whatever was wrong (an unknown phone included). A code opens the
    page once."""
    phone = _phone(phone)
    now = now or timezone.now()
    code = "".join(str(code).split())[:12]
    with transaction.atomic(durable=True):
        row = (
            MyPageCode.objects.select_for_update()
            .filter(
                phone_key=_keyed(f"phone:{phone}"),
                used_at__isnull=True,
                expires_at__gt=now,
                tries__lt=MyPageCode.TRIES,
            )
            .order_by("-pk")
            .first()
        )
        if row is None:
            raise DomainError(WRONG_CODE, code="wrong_code", field="code")
        if not hmac.compare_digest(row.code_hash, _keyed(f"code:{row.pk}:{code}")):
            MyPageCode.objects.filter(pk=row.pk).update(tries=F("tries") + 1)
            wrong = True
        else:
            MyPageCode.objects.filter(pk=row.pk).update(used_at=now)
            wrong = False
    if wrong:  # the try stays counted: raised after the commit
        raise DomainError(WRONG_CODE, code="wrong_code", field="code")
    return MyPagePass(resident_ids=tuple(row.residents), until=now + datetime.timedelta(minutes=PAGE_MINUTES))
