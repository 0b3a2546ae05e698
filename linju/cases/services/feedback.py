"""好差评 (国办发〔2019〕51号): the resident's rating of a finished case (一事一评) on the status page or
from their own phone after a texted code, and the rating of a booth visit (一次一评) that outreach
records through `rating_record_within`. Only the resident rates: a staff session or key is refused.

Each rating is sent to the province in its own transaction (linju/cases/services/province.py), and
a named 差评 (the bottom two levels) opens a callback for a named person, due in
LINJU_CALLBACK_WORKING_DAYS working days (linju/cases/services/callbacks.py)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.core.limits import try_take
from linju.core.shared_cache import strict
from linju.notify.sms import send_sms
from linju.people.phones import InvalidPhone, normalize_phone

from ..models import Case, CaseEvent, FollowUp, Rating
from .callbacks import callback_open_within
from .province import tell_province_of_rating
from .status import case_status_lookup

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.catalog.models import ServiceItem
    from linju.geo.models import Town

STAFF_MAY_NOT_RATE = _(
    "Only the resident rates. Staff may not rate for a resident, by their session or by an API key."
)
# the phone rating's code: how long it lives, how many wrong tries void it, how many a case may ask for
PHONE_CODE_SECONDS = 600
PHONE_CODE_WRONG_TRIES = 5
PHONE_CODES_PER_HOUR = 3


def staff_refused(*, signed_in: bool, with_key: bool) -> None:
    """A rating posted from a staff session or with a staff key: refused (403), in words."""
    if signed_in or with_key:
        raise PermissionDenied(STAFF_MAY_NOT_RATE, code="residents_rate")


def both_languages(error: DomainError) -> tuple[str, str]:
    """An error's words in Chinese and in English, for a page that shows both."""
    with translation.override("zh-hans"):
        chinese = error.text()
    with translation.override("en"):
        english = error.text()
    return chinese, english


def _finisher(case: Case) -> User | None:
    """The staff member a case's rating is about: who finished it (else who took it)."""
    event = case.events.filter(action=CaseEvent.Action.FINISH).select_related("actor").order_by("-id").first()
    return event.actor if event is not None and event.actor_id else case.taken_by


def rating_record_within(
    *,
    bureau_id: int,
    town: Town,
    item: ServiceItem | None,
    channel: str,
    rated_staff: User | None,
    named: bool,
    level: int,
    comment: str,
    source: str,
    subject: str,
    case: Case | None = None,
    consultation_id: int | None = None,
    now: datetime.datetime | None = None,
) -> Rating:
    """One rating, inside the caller's transaction (the caller has locked what is rated): the row,
    the province's message and, for a named 差评, the callback. `subject` names what is rated to the
    province (the case's number or the slip's code)."""
    if level not in Rating.Level.values:
        raise DomainError(_("Choose one of the five levels."), field="level")
    try:
        with transaction.atomic():  # a savepoint: a twin posted at the same moment loses here
            rating = Rating.objects.create(
                bureau_id=bureau_id,
                case=case,
                consultation_id=consultation_id,
                town=town,
                item=item,
                channel=channel,
                level=level,
                comment=comment.strip()[:500],
                source=source,
                rated_staff=rated_staff,
                named=named,
            )
    except IntegrityError:
        raise Conflict(_("This has already been rated. Thank you."), code="already_rated") from None
    tell_province_of_rating(rating, subject=subject)
    if rating.unsatisfied and named:
        callback_open_within(rating=rating, case=case, subject=subject, now=now)
    return rating


def _rate_case(case: Case, *, level: int, comment: str, source: str, now: datetime.datetime | None) -> Rating:
    if case.status != Case.Status.FINISHED:
        raise Conflict(_("Only a finished case can be rated."), code="not_finished")
    if Rating.objects.filter(case=case).exists():
        raise Conflict(_("This has already been rated. Thank you."), code="already_rated")
    rating = rating_record_within(
        bureau_id=case.bureau_id,
        town=case.town,
        item=case.item,
        channel=case.channel,
        rated_staff=_finisher(case),
        named=True,
        level=level,
        comment=comment,
        source=source,
        subject=case.number,
        case=case,
        now=now,
    )
    CaseEvent.objects.create(
        bureau_id=case.bureau_id,
        case=case,
        action=CaseEvent.Action.RATE,
        from_status=case.status,
        to_status=case.status,
        actor=None,
        detail={"level": level},
    )
    return rating


def case_rate_by_resident(
    *, number: str, phone_last4: str, level: int, comment: str = "", now: datetime.datetime | None = None
) -> Rating:
    """A rating the resident gives on the status page, behind the look-up's guard: one durable
    transaction holding the rating, its message to the province and any callback."""
    with transaction.atomic(durable=True):
        case = case_status_lookup(number=number, phone_last4=phone_last4)  # the same guard as the look-up
        case = Case.objects.select_for_update().get(pk=case.pk)
        return _rate_case(case, level=level, comment=comment, source=Rating.Source.RESIDENT, now=now)


# the phone rating: a code texted to the phone the bureau holds, typed back with the rating


def _same_phone(held: str, typed: str) -> bool:
    """Whether the typed phone is the held one, each read as every phone is (`normalize_phone`:
    spaces, dashes, +86, full-width digits); what is no mainland phone is no match."""
    try:
        return normalize_phone(held) == normalize_phone(typed)
    except InvalidPhone:
        return False


def _held_phones(case: Case) -> list[str]:
    """The resident's own phones as the bureau holds them: the case's, then the register's."""
    phones = [case.applicant_phone, case.applicant.phone]
    return [p for p in dict.fromkeys(phones) if p]


def _code_key(number: str) -> str:
    return f"linju:rating-code:{number}"


def _code_hash(number: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{number}:{code}".encode(), hashlib.sha256).hexdigest()


# what asking for a rating code may tell: nothing (the same answer whether the number is known), or,
# to whoever gives the phone the bureau holds for the case, that it is rated already
CODE_MAYBE_SENT = "maybe_sent"
ALREADY_RATED = "already_rated"


def rating_code_send(*, number: str, phone: str) -> str:
    """Text a six-digit code to the resident's own phone, if `phone` is the one the bureau holds for
    the finished, unrated case `number`. Says nothing either way (CODE_MAYBE_SENT: the page answers
    the same whether the number is known), except ALREADY_RATED to the holder of that phone — a
    stronger proof than the status look-up's last four digits, which shows the rating anyway. At most
    PHONE_CODES_PER_HOUR asks a case an hour. The text is sent after the request's work (no
    transaction: nothing else is written)."""
    number = "".join(number.split()).upper()[:20]
    if try_take(f"linju:rating-code-asked:{number}", window=3600) > PHONE_CODES_PER_HOUR:
        return CODE_MAYBE_SENT
    case = (
        Case.objects.filter(number=number, status=Case.Status.FINISHED)
        .select_related("applicant", "rating")
        .first()
    )
    if case is None:
        return CODE_MAYBE_SENT
    held = [p for p in _held_phones(case) if _same_phone(p, phone)]
    if not held:
        return CODE_MAYBE_SENT
    if getattr(case, "rating", None) is not None:
        return ALREADY_RATED
    code = f"{secrets.randbelow(10**6):06d}"
    strict("set", _code_key(number), _code_hash(number, code), PHONE_CODE_SECONDS)
    strict("delete", f"linju:rating-code-wrong:{number}")
    with translation.override("zh-hans"):
        text = str(
            _("[Qijiang HRSS] Your code to rate case %(number)s is %(code)s. It is valid for 10 minutes.")
        ) % {
            "number": number,
            "code": code,
        }
    send_sms(
        bureau_id=case.bureau_id,
        phone=held[0],
        text=text,
        purpose="rating_code",
        reference=f"{number}:{secrets.token_hex(4)}",
        params={"number": number, "code": code},
    )
    return CODE_MAYBE_SENT


def case_rate_by_phone(
    *, number: str, code: str, level: int, comment: str = "", now: datetime.datetime | None = None
) -> Rating:
    """A rating from the resident's phone: taken only with the code texted to it. A wrong code
    counts; after PHONE_CODE_WRONG_TRIES the code is void and a new one must be asked for."""
    number = "".join(number.split()).upper()[:20]
    wrong = DomainError(_("That code is not right, or it has expired. Ask for a new one."), field="code")
    stored = strict("get", _code_key(number))
    if stored is None:
        raise wrong
    if not hmac.compare_digest(stored, _code_hash(number, code.strip())):
        if try_take(f"linju:rating-code-wrong:{number}", window=PHONE_CODE_SECONDS) >= PHONE_CODE_WRONG_TRIES:
            strict("delete", _code_key(number))
        raise wrong
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().filter(number=number).first()
        if case is None:
            raise NotFound(_("No such case."))
        rating = _rate_case(case, level=level, comment=comment, source=Rating.Source.PHONE, now=now)
    strict("delete", _code_key(number))
    return rating


def follow_up_close(*, actor: User, follow_up_id: int, answer: str) -> FollowUp:
    """Answer a follow-up that no rating opened (a complaint) in one step: staff's and cadres' work,
    in their towns. A callback opened by a 差评 goes through its steps (callbacks.py)."""
    require(actor, "case.follow_up")
    with transaction.atomic(durable=True):
        follow_up = FollowUp.objects.select_for_update().visible_to(actor).filter(pk=follow_up_id).first()
        if follow_up is None:
            raise NotFound(_("No such follow-up."))
        if follow_up.rating_id is not None:
            raise Conflict(
                _("This follow-up is a callback: record the call and the rectification on its page."),
                code="is_callback",
            )
        if not answer.strip():
            raise DomainError(_("Write what was done about it."), field="answer")
        follow_up.status = FollowUp.Status.CLOSED
        follow_up.answer = answer.strip()
        follow_up.closed_by = actor
        follow_up.closed_at = timezone.now()
        follow_up.save()
    return follow_up


__all__ = [
    "STAFF_MAY_NOT_RATE",
    "both_languages",
    "case_rate_by_phone",
    "case_rate_by_resident",
    "follow_up_close",
    "rating_code_send",
    "rating_record_within",
    "staff_refused",
]
