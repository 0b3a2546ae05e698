"""After a gig: the work recorded done and the pay received, by the cadre or by the worker.

`record_done(viewer, dispatch, paid, amount=None)` is the one service. The cadre records it from the
pay page or the API (`viewer`: a member of staff of the gig's town); the worker records it on the
public page the slip's link opens (`pay_link`: /gigs/paid/<token>, a signed token of the dispatch,
then the last four characters of their ID number, as the offers' link asks; `viewer` None). What
the worker says is recorded as they say it: a slip is theirs.

Pay short or not paid at all opens a 劳动保障监察投诉 (LR-001) for the worker, through the intake
(`case_accept_within`, in this service's transaction: both or neither): on the channel of the place
the gig was posted at (a market's booth, a station's counter) when a cadre records it, online by
the bureau's system user when the worker does. Its details carry the gig's record: who pays, where,
which days and hours, the pay promised against the pay received, and the dispatch. The dispatch
keeps the case (`inspection_case`); the database holds one case to one dispatch, and the intake's
idempotency key (one per dispatch) makes a second record of the same answer give back the same case.

A dispatch is recorded once: the same answer again changes nothing (a resend after a lost reply is
safe); another answer after it is refused in plain words (the inspection case is where a changed
story is heard).
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.accounts.models import User
from linju.accounts.services import bureau_system_user
from linju.cases.models import Case
from linju.cases.services.intake import Intake, case_accept_within
from linju.catalog.models import Channel
from linju.core.errors import Conflict, DomainError, NotFound
from linju.core.limits import try_give_back, try_take

from ..models import Dispatch, Gig, PayUnit

INSPECTION_ITEM = "LR-001"  # 劳动保障监察投诉, in the catalogue
MAX_AMOUNT = Decimal("9999999.99")
CENT = Decimal("0.01")
LINK_SALT = "linju.gigs.paid"
LINK_WRONG_TRIES = 10
LINK_LOCK_SECONDS = 3600
OPEN_TO_RECORD = (Dispatch.Status.SENT, Dispatch.Status.DONE)


class LinkPaused(DomainError):
    status = 429
    code = "gig_link_paused"


@dataclass(frozen=True)
class Recorded:
    dispatch: Dispatch
    case: Case | None  # the inspection case, when the pay was short or none
    changed: bool  # False: the same answer had been recorded before


def gig_days(gig: Gig) -> int:
    return (gig.ends_on - gig.starts_on).days + 1


def gig_hours_a_day(gig: Gig) -> Decimal:
    start = datetime.datetime.combine(gig.starts_on, gig.start_time)
    end = datetime.datetime.combine(gig.starts_on, gig.end_time)
    return (Decimal((end - start).seconds) / 3600).quantize(CENT)


def promised_total(gig: Gig) -> Decimal | None:
    """What the gig promised in all, when its unit says (by the piece: the pieces are not known)."""
    if gig.pay_unit == PayUnit.DAY:
        return (gig.pay * gig_days(gig)).quantize(CENT)
    if gig.pay_unit == PayUnit.HOUR:
        return (gig.pay * gig_hours_a_day(gig) * gig_days(gig)).quantize(CENT, rounding=ROUND_HALF_UP)
    return None


def _amount(paid: str, amount, promised: Decimal | None) -> Decimal | None:
    """The amount received, checked: none paid is 0; paid in full is the promise unless said; paid
    short must be said, above 0 and below the promise."""
    if paid not in Dispatch.Paid.values:
        raise DomainError(_("Say whether the pay was received in full, short or not at all."), field="paid")
    if amount in (None, ""):
        value = None
    else:
        try:
            value = Decimal(str(amount).strip().replace(",", ""))
        except InvalidOperation:
            raise DomainError(_("Write the amount received in yuan, such as 160."), field="amount") from None
        if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
            raise DomainError(_("Write an amount from 0 to 9999999.99 yuan."), field="amount")
        value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if paid == Dispatch.Paid.UNPAID:
        if value:
            raise DomainError(
                _("Some pay was received: record it as paid short, with the amount."), field="amount"
            )
        return Decimal("0.00")
    if paid == Dispatch.Paid.FULL:
        if value is not None and promised is not None and value < promised:
            raise DomainError(
                _("%(amount)s yuan is less than the %(promised)s promised: record it as paid short."),
                params={"amount": value, "promised": promised},
                field="amount",
            )
        return value if value is not None else promised
    if value is None or value <= 0:
        raise DomainError(_("Write how much was received."), field="amount")
    if promised is not None and value >= promised:
        raise DomainError(
            _("%(amount)s yuan is not less than the %(promised)s promised: record it as paid in full."),
            params={"amount": value, "promised": promised},
            field="amount",
        )
    return value


def gig_record(dispatch: Dispatch, *, by_worker: bool) -> str:
    """The gig's record as the inspection case carries it, in Chinese (the case's own language)."""
    gig = dispatch.gig
    promised = promised_total(gig)
    with translation.override("zh-hans"):
        unit = str(PayUnit(gig.pay_unit).label)
        lines = [
            str(_("Gig record (零工派工记录)")),
            str(_("Who pays: %(employer)s; whom to ask: %(contact)s %(phone)s"))
            % {"employer": gig.employer_name, "contact": gig.contact_name, "phone": gig.contact_phone},
            str(_("Work: %(title)s (%(type)s)")) % {"title": gig.title, "type": gig.work_type.name},
            str(_("Where: %(town)s %(village)s %(address)s"))
            % {"town": gig.town.name, "village": gig.village.name, "address": gig.address},
            str(_("Days: %(first)s to %(last)s, %(days)d day(s), %(start)s–%(end)s"))
            % {
                "first": gig.starts_on.isoformat(),
                "last": gig.ends_on.isoformat(),
                "days": gig_days(gig),
                "start": gig.start_time.strftime("%H:%M"),
                "end": gig.end_time.strftime("%H:%M"),
            },
            str(_("Pay promised: %(pay)s yuan %(unit)s; in all %(total)s"))
            % {
                "pay": gig.pay,
                "unit": unit,
                "total": f"{promised} 元" if promised is not None else str(_("by the pieces done")),
            },
            str(_("Pay received: %(amount)s yuan (%(paid)s)"))
            % {"amount": dispatch.paid_amount, "paid": str(Dispatch.Paid(dispatch.paid).label)},
            str(_("Dispatched on %(day)s at %(place)s, place %(position)d in the order; done on %(done)s"))
            % {
                "day": timezone.localtime(dispatch.created_at).date().isoformat(),
                "place": (gig.market or gig.service_point).name,
                "position": dispatch.position,
                "done": dispatch.done_on.isoformat(),
            },
            str(_("Recorded by the worker on the slip's page") if by_worker else _("Recorded by the cadre")),
        ]
    return "\n".join(lines)[:2000]


def _inspection_case(dispatch: Dispatch, actor: User | None) -> Case:
    """The 劳动保障监察 request for the worker, taken by the intake inside the caller's transaction."""
    gig = dispatch.gig
    by_worker = actor is None
    if by_worker:
        taker, channel, place = bureau_system_user(bureau_id=gig.bureau_id), Channel.ONLINE, {}
    elif gig.market_id:
        taker, channel, place = actor, Channel.BOOTH, {"market_code": gig.market.code}
    else:
        taker, channel, place = actor, Channel.COUNTER, {"service_point_code": gig.service_point.code}
    return case_accept_within(
        actor=taker,
        intake=Intake(
            item_code=INSPECTION_ITEM,
            channel=channel,
            applicant_id=dispatch.worker.resident_id,
            description=gig_record(dispatch, by_worker=by_worker),
            idempotency_key=f"gig-pay-{dispatch.pk}",
            **place,
        ),
    )


def _same(dispatch: Dispatch, paid: str, amount: Decimal | None) -> bool:
    return (
        dispatch.status == Dispatch.Status.DONE and dispatch.paid == paid and dispatch.paid_amount == amount
    )


def _record(dispatch_id: int, paid: str, amount, actor: User | None, today: datetime.date) -> Recorded:
    with transaction.atomic(durable=True):
        rows = Dispatch.objects.select_for_update(of=("self",))
        if actor is not None:
            rows = rows.visible_to(actor)
        if not rows.filter(pk=dispatch_id).values_list("pk", flat=True):
            raise NotFound(_("No such dispatch."))
        locked = Dispatch.objects.select_related(
            "gig__town", "gig__village", "gig__work_type", "gig__market", "gig__service_point", "worker"
        ).get(pk=dispatch_id)
        if actor is not None:
            require(actor, "gig.pay", locked.gig)
        value = _amount(paid, amount, promised_total(locked.gig))
        if _same(locked, paid, value):
            return Recorded(dispatch=locked, case=locked.inspection_case, changed=False)
        if locked.status not in OPEN_TO_RECORD:
            raise Conflict(
                _("This dispatch is %(status)s: there is no work to record."),
                params={"status": Dispatch.Status(locked.status).label},
            )
        if locked.paid:
            raise Conflict(
                _("The pay was already recorded (%(paid)s). If it changed, the inspection request hears it."),
                params={"paid": Dispatch.Paid(locked.paid).label},
            )
        if today < locked.gig.starts_on:
            raise DomainError(_("The gig has not begun yet: record it once the work is done."), field="paid")
        locked.status = Dispatch.Status.DONE
        locked.done_on = min(today, locked.gig.ends_on)
        locked.paid = paid
        locked.paid_amount = value
        case = None
        if paid != Dispatch.Paid.FULL:
            case = _inspection_case(locked, actor)
            locked.inspection_case = case
        locked.save(
            update_fields=["status", "done_on", "paid", "paid_amount", "inspection_case", "updated_at"]
        )
    return Recorded(dispatch=locked, case=case, changed=True)


def record_done(
    viewer: User | None, dispatch: Dispatch, paid: str, amount=None, *, today: datetime.date | None = None
) -> Recorded:
    """The gig done and the pay received, recorded by a member of staff of the gig's town. Paid short
    or not at all: a 劳动保障监察 request is opened with the gig's record (see the module)."""
    require(viewer, "gig.pay")
    return _record(dispatch.pk, paid, amount, viewer, today or timezone.localdate())


# The worker's own page ---------------------------------------------------------------------------


def pay_token(dispatch: Dispatch) -> str:
    return signing.Signer(salt=LINK_SALT).sign(str(dispatch.pk))


def pay_link(dispatch: Dispatch) -> str:
    """The address a slip carries (printed as text or a QR code, texted) for the worker to say the
    work is done and what was paid."""
    return settings.LINJU_PUBLIC_URL + reverse("gigs-pay:worker", kwargs={"token": pay_token(dispatch)})


def dispatch_by_token(token: str) -> Dispatch | None:
    """The dispatch a slip's link names, while there is pay to record or see (sent or done)."""
    try:
        pk = int(signing.Signer(salt=LINK_SALT).unsign((token or "")[:80]))
    except (signing.BadSignature, ValueError):
        return None
    return (
        Dispatch.objects.filter(pk=pk, status__in=OPEN_TO_RECORD)
        .select_related("gig__town", "gig__village", "gig__work_type", "worker__resident", "inspection_case")
        .first()
    )


def id_last4(value: str) -> str:
    last4 = unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").upper()
    if len(last4) != 4 or not (last4[:3].isdigit() and (last4[3].isdigit() or last4[3] == "X")):
        raise DomainError(
            _("Enter the last four characters of your ID number: four digits, the last may be X."),
            field="id_last4",
        )
    return last4


def dispatch_link_open(*, token: str, typed_last4: str) -> Dispatch:
    """The dispatch, once the last four characters of the worker's ID number are right: each wrong
    try counted in the shared cache, the page paused for an hour after ten (whoever asks); a right
    answer gives its try back. Nothing about the gig is shown before."""
    dispatch = dispatch_by_token(token)
    if dispatch is None:
        raise NotFound(_("This link does not open a gig (any more)."), code="gig_link_gone")
    last4 = id_last4(typed_last4)
    key = f"linju:gig-link-wrong:{dispatch.pk}"
    if try_take(key, window=LINK_LOCK_SECONDS) > LINK_WRONG_TRIES:
        raise LinkPaused(
            _("Too many wrong tries: this page is paused for an hour. Call whom the slip names.")
        )
    if last4 != dispatch.worker.resident.id_last4.upper():
        raise NotFound(
            _("These are not the last four characters of the ID number. Please look at your ID card."),
            field="id_last4",
        )
    try_give_back(key)
    return dispatch


def record_done_by_worker(*, token: str, typed_last4: str, paid: str, amount=None) -> Recorded:
    """The worker says the work is done and what was paid, on the slip's page."""
    dispatch = dispatch_link_open(token=token, typed_last4=typed_last4)
    return _record(dispatch.pk, paid, amount, None, timezone.localdate())
