"""Granted without application (免申即享, 无需申请): an item the bureau grants on the data alone.

When the second look approves offers of an item marked `granted_on_data`, nobody is asked anything:
inside the approval's transaction each offer's case is taken through the cases intake (channel
`offer`, by the bureau's system user, the papers the bureau holds marked received) and finished at
once with the outcome granted (the rule's plain words and version as the rule applied). The offer is
GRANTED. A resident who applied meanwhile keeps their own case: that offer is withdrawn instead.

The resident is then told, once, the way they can be reached (`offer_reach`): a text through the
same outbox as the offers' (one offer text a day per phone, none 21:00–08:00), or a home task for
the village's cadre. Either says what was granted and until which date (the item's working days to
object, counted with the working-day calendar from the day they are told) they may object (异议):
by replying 4, on the short link's page, or by phone to the station.

An objection within that time reopens the case (the cases move `reopen`: worked on again, a new
promised date in working days, an event saying why and how it came); after it, it is refused in plain
words; the same objection again changes nothing. One objection per grant: a decision taken again
after it is reviewed as any other (行政复议, a court).
"""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.accounts.services import bureau_system_user
from linju.cases.models import Case, CaseEvent
from linju.cases.services import Intake, Outcome, case_accept_within, case_move_within
from linju.catalog.models import Channel, Material
from linju.core.errors import Conflict, DomainError, NotFound
from linju.notify.sms import can_receive_texts, send_sms
from linju.outreach.services import ItemToBring, home_tasks_to_bring_items
from linju.workdays.selectors import add_working_days

from ..held import materials_held
from ..models import Offer
from .channels import (
    BATCH,
    OFFER_PURPOSE,
    VISIT_WITHIN_WORKING_DAYS,
    Brought,
    TextsOfTheDay,
    offer_link,
    quiet_hours,
    texts_stopped,
)

if TYPE_CHECKING:
    from linju.accounts.models import User

OBJECTION_REPLY = "4"  # the reply to a grant's text that objects
REASON_LENGTH = 500
# a case of the item not closed yet: the resident applied meanwhile, and that case decides
UNFINISHED = (*Case.OPEN, Case.Status.SUSPENDED)
BY_THEMSELVES = frozenset({Offer.AnsweredVia.SMS, Offer.AnsweredVia.LINK})
HEARD_BY_STAFF = frozenset({Offer.AnsweredVia.PHONE, Offer.AnsweredVia.BOOTH, Offer.AnsweredVia.VISIT})


# how the objection came, as the case's timeline says it (the staff member is the event's actor)
OBJECTION_NOTE = {
    Offer.AnsweredVia.SMS: _("Objection (异议) by a reply to the text"),
    Offer.AnsweredVia.LINK: _("Objection (异议) on the page the text links to"),
    Offer.AnsweredVia.PHONE: _("Objection (异议) by phone, recorded by staff"),
    Offer.AnsweredVia.BOOTH: _("Objection (异议) at a market-day booth, recorded by staff"),
    Offer.AnsweredVia.VISIT: _("Objection (异议) at a visit, recorded by staff"),
}


def day_words(day: datetime.date) -> str:
    """A date as the texts and notes say it: 2026年12月18日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _why(offer: Offer) -> str:
    """The rule's plain words, short enough for a text."""
    return " ".join(offer.rule.description.split())[:40].rstrip("。.")


# ---------------------------------------------------------------------------------------------------
# the grant, inside the approval


def offers_grant_within(
    *, approver: User, reach_of: dict[int, str], now: datetime.datetime, today: datetime.date | None = None
) -> tuple[list[int], int]:
    """Grant the offers of `reach_of` (offer id → how the person is told), inside the approval's
    transaction with their rows locked: for each a case taken and finished granted by the bureau's
    system user, the offer GRANTED and open to objection until the item's working days from today
    (pushed later when the person is told later). (The ids granted, how many were withdrawn because
    the resident has an unfinished case of the item.) A few statements per offer: the intake's and
    the finish's."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("offers_grant_within runs inside the approval's transaction.")
    now = timezone.localtime(now)
    today = today or now.date()
    granted: list[int] = []
    withdrawn = 0
    ids = sorted(reach_of)
    for start in range(0, len(ids), BATCH):
        offers = list(
            Offer.objects.filter(pk__in=ids[start : start + BATCH])
            .select_related("resident", "rule", "item")
            .order_by("pk")
        )
        applied = set(
            Case.objects.filter(
                applicant_id__in={o.resident_id for o in offers},
                item_id__in={o.item_id for o in offers},
                status__in=UNFINISHED,
            ).values_list("applicant_id", "item_id")
        )
        names: dict[int, list[str]] = {}
        for item_id, name in (
            Material.objects.filter(item_id__in={o.item_id for o in offers})
            .order_by("position", "id")
            .values_list("item_id", "name")
        ):
            names.setdefault(item_id, []).append(name)
        for offer in offers:
            if (offer.resident_id, offer.item_id) in applied:
                offer.status, offer.withdrawn_at = Offer.Status.WITHDRAWN, now
                withdrawn += 1
            else:
                offer.case = _grant(offer, names.get(offer.item_id, []), now)
                offer.status = Offer.Status.GRANTED
                offer.reach = reach_of[offer.pk]
                offer.approved_by, offer.approved_at = approver, now
                offer.expires_on = add_working_days(today, offer.item.objection_days).date
                granted.append(offer.pk)
            offer.updated_at = now
        Offer.objects.bulk_update(
            offers,
            [
                "status",
                "case",
                "reach",
                "approved_by",
                "approved_at",
                "expires_on",
                "withdrawn_at",
                "updated_at",
            ],
        )
    return granted, withdrawn


def _grant(offer: Offer, material_names: list[str], now: datetime.datetime) -> Case:
    """The offer's case: taken on channel offer and finished granted, both by the system user, in the
    caller's transaction. No text from the case itself: the person is told by the grant's notice."""
    system = bureau_system_user(bureau_id=offer.bureau_id)
    with translation.override("zh-hans"):
        description = str(
            _("Granted on the data, with no application: %(words)s") % {"words": offer.rule.offer_zh}
        )
        detail = str(
            _(
                "The records we hold show that you qualify (%(why)s), so %(item)s is granted to you "
                "without an application. If you disagree, you may object within %(days)s working days "
                "of being told."
            )
            % {"why": _why(offer), "item": offer.item.name, "days": offer.item.objection_days}
        )
        rule = str(
            _("%(rule)s (rule version %(version)s)")
            % {"rule": " ".join(offer.rule.description.split()), "version": offer.rule_version}
        )
    case = case_accept_within(
        actor=system,
        intake=Intake(
            item_code=offer.item.code,
            channel=Channel.OFFER,
            offered=True,
            applicant_id=offer.resident_id,
            description=description[:2000],
            materials_received=materials_held(material_names, offer.resident),
            texts_to_applicant=False,
            idempotency_key=f"offer-{offer.pk}",
        ),
        now=now,
    )
    return case_move_within(
        actor=system,
        number=case.number,
        action="finish",
        outcome=Outcome(kind=Case.Outcome.GRANTED, detail=detail[:2000], rule=rule[:200]),
        note=str(_("Granted on the data, no application")),
        now=now,
    )


# ---------------------------------------------------------------------------------------------------
# telling the person


def granted_text(offer: Offer, until: datetime.date) -> tuple[str, dict[str, str]]:
    """The grant's text: what was granted, why, and how and until when to object."""
    values = {
        "item": offer.item.name,
        "what": _why(offer),
        "date": day_words(until),
        "link": offer_link(offer),
    }
    with translation.override("zh-hans"):
        text = str(
            _(
                "[Qijiang HRSS] The records show you qualify (%(what)s): %(item)s is granted to you, "
                "with no application. If you disagree, reply 4 by %(date)s, object on this page: "
                "%(link)s or call your town's social-security station."
            )
        )
    return text % values, values


def granted_bring(*, now: datetime.datetime | None = None, offer_ids: list[int] | None = None) -> Brought:
    """Tell the people whose offers were granted and who have not been told (those of `offer_ids`, or
    all): a home task for those a cadre tells (and for a phone that is no mobile, or asked for no more
    texts), then a text each, one a phone a day and none in quiet hours. Run again, it tells nobody
    twice; what waits is sent by the 08:00 job."""
    moment = now or timezone.now()
    waiting = Offer.objects.filter(
        status=Offer.Status.GRANTED, texted_at__isnull=True, home_task__isnull=True
    )
    if offer_ids is None:
        parts = [waiting]
    else:  # a part at a time (a database bounds the values of one statement)
        ids = sorted(set(offer_ids))
        parts = [waiting.filter(pk__in=ids[start : start + BATCH]) for start in range(0, len(ids), BATCH)]
    stopped, day = texts_stopped(), TextsOfTheDay()
    tasks = texted = left = 0
    for part in parts:
        phones = dict(part.filter(reach=Offer.Reach.TEXT).values_list("pk", "resident__phone"))
        cannot = [
            pk for pk, phone in phones.items() if not can_receive_texts(phone or "") or phone in stopped
        ]
        for start in range(0, len(cannot), BATCH):
            Offer.objects.filter(pk__in=cannot[start : start + BATCH]).update(
                reach=Offer.Reach.HOME_TASK, updated_at=timezone.now()
            )
        tasks += _visits(part, today=timezone.localdate(moment))
        for offer in (
            part.filter(reach=Offer.Reach.TEXT).select_related("resident", "rule", "item").order_by("pk")
        ):
            if _text(offer, moment=moment, day=day):
                texted += 1
            else:
                left += 1
    return Brought(texted=texted, waiting=left, home_tasks=tasks)


def _visits(waiting, *, today: datetime.date) -> int:
    """A home task for each grant a cadre tells, due within the visit's working days; the time to
    object runs from that day."""
    due = add_working_days(today, VISIT_WITHIN_WORKING_DAYS).date
    made = 0
    while True:
        with transaction.atomic():
            batch = list(
                waiting.filter(reach__in=(Offer.Reach.HOME_TASK, Offer.Reach.VILLAGE_VISIT))
                .select_for_update(of=("self",))
                .select_related("rule", "item")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return made
            asks = []
            for offer in batch:
                until = max(offer.expires_on or due, add_working_days(due, offer.item.objection_days).date)
                offer.expires_on = until
                with translation.override("zh-hans"):
                    note = str(
                        _(
                            "Granted on the data, with no application: %(item)s (%(what)s). Tell them it "
                            "is granted and that they may object by %(date)s (reply 4 to the text, the "
                            "page, or by phone); record an objection they make."
                        )
                        % {"item": offer.item.name, "what": _why(offer), "date": day_words(until)}
                    )
                asks.append(ItemToBring(offer.resident_id, offer.item_id, due, note))
            stamp = timezone.now()
            for offer, task in zip(batch, home_tasks_to_bring_items(asks=asks), strict=True):
                offer.home_task, offer.updated_at = task, stamp
            Offer.objects.bulk_update(batch, ["home_task", "expires_on", "updated_at"])
            made += len(batch)


def _text(offer: Offer, *, moment: datetime.datetime, day: TextsOfTheDay) -> bool:
    """The grant's one text, unless it is quiet hours or the phone had its offer text today. The time
    to object counts from the day it goes (never shorter than set at the grant). Whether it went."""
    if quiet_hours(moment):
        return False
    phones = day.phones_on(moment)
    phone = offer.resident.phone
    if phone in phones:
        return False
    sent_on = timezone.localdate(moment)
    until = max(offer.expires_on or sent_on, add_working_days(sent_on, offer.item.objection_days).date)
    text, values = granted_text(offer, until)
    sent = send_sms(
        bureau_id=offer.bureau_id,
        phone=phone,
        text=text,
        purpose=OFFER_PURPOSE,
        reference=day.reference,
        params=values,
        template="offer_granted",
    )
    phones.add(phone)
    if sent is None:  # another job texted this phone today
        return False
    return bool(
        Offer.objects.filter(pk=offer.pk, texted_at__isnull=True).update(
            texted_at=moment, expires_on=until, updated_at=moment
        )
    )


# ---------------------------------------------------------------------------------------------------
# the objection (异议)


@dataclass(frozen=True)
class Objected:
    offer: Offer
    case: Case
    changed: bool = True  # False: this objection had been recorded before


def is_objection(text: str) -> bool:
    """Whether a reply is the objection digit (full-width too, spaces around it ignored)."""
    return unicodedata.normalize("NFKC", text or "").strip() == OBJECTION_REPLY


def _objection_clean(via: str, actor: User | None, reason: str) -> str:
    if via in HEARD_BY_STAFF:
        if actor is None:
            raise DomainError(
                _("An objection made by phone, at a booth or at a visit is recorded by a member of staff."),
                field="channel",
            )
        require(actor, "offer.answer")
    elif via not in BY_THEMSELVES or actor is not None:
        raise DomainError(
            _("Say how you heard the objection: by phone, at a booth or at a visit."), field="channel"
        )
    return " ".join(str(reason or "").split())[:REASON_LENGTH]


def objection_of(offer: Offer) -> CaseEvent | None:
    """The objection recorded against a granted offer's case (its reopening), if any."""
    if not offer.case_id:
        return None
    return CaseEvent.objects.filter(case_id=offer.case_id, action=CaseEvent.Action.REOPEN).first()


def offer_object(
    *,
    offer: Offer,
    via: str,
    actor: User | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Objected:
    """The resident objects to what was granted on the data: by a reply (`via` sms) or the page (link),
    with no actor; or heard by a member of staff (`actor`; phone, booth or visit), who is named. Within
    the time to object the case is reopened (worked on again, with a new promised date); after it the
    objection is refused in plain words; the same objection again changes nothing."""
    reason = _objection_clean(via, actor, reason)
    with transaction.atomic(durable=True):
        rows = Offer.objects.select_for_update(of=("self",))
        if actor is not None:
            rows = rows.visible_to(actor)
        if not rows.filter(pk=offer.pk).values_list("pk", flat=True):
            raise NotFound(_("No such offer."))
        locked = Offer.objects.select_related("case", "item").get(pk=offer.pk)
        if locked.status != Offer.Status.GRANTED or locked.case is None:
            raise Conflict(
                _("Only something granted without an application can be objected to here."),
                code="offer_not_granted",
            )
        if objection_of(locked) is not None:
            return Objected(offer=locked, case=locked.case, changed=False)
        now = timezone.localtime(now or timezone.now())
        if locked.expires_on is None or now.date() > locked.expires_on:
            raise Conflict(
                _(
                    "The time to object ended on %(date)s. If you still disagree, you may ask for an "
                    "administrative review within 60 days of the decision, or go to court within 6 "
                    "months; your town's social-security station can help."
                ),
                params={"date": day_words(locked.expires_on or now.date())},
                code="objection_too_late",
            )
        with translation.override("zh-hans"):
            note = str(OBJECTION_NOTE[via])
        case = case_move_within(
            actor=actor or bureau_system_user(bureau_id=locked.bureau_id),
            number=locked.case.number,
            action="reopen",
            reason=reason,
            note=note,
            now=now,
        )
        locked.case = case
        Offer.objects.filter(pk=locked.pk).update(updated_at=now)
    return Objected(offer=locked, case=case)


def granted_page(offer: Offer) -> dict:
    """What the short link's page shows of a granted offer: the decision, until when to object and
    whether the button is there, or the objection already made and the case's new promise."""
    objection = objection_of(offer)
    today = timezone.localdate()
    return {
        "granted": True,
        "objection": objection,
        "object_until": offer.expires_on,
        "may_object": objection is None and offer.expires_on is not None and today <= offer.expires_on,
    }
