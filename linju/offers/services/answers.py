"""A resident's answer to an offer, however it comes: a reply to the text, the page the text links to,
or a member of staff who heard it (by phone, at a booth, at a visit). One function for all of them.

Yes makes the case at once through the cases intake (channel `offer`): the item, the person, the
papers the bureau holds marked received, the promised date in working days, the receipt texted —
nothing typed again. No records the answer and the reason given. Help asks the village's cadre to come
(an outreach home task). The offer's row is locked while the answer is written, so the same answer
sent twice, or at the same moment, is recorded once and answers the same."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.accounts.services import bureau_system_user
from linju.cases.models import Case
from linju.cases.services import Intake, case_accept_within
from linju.catalog.models import Channel, Material
from linju.core.errors import Conflict, DomainError, NotFound
from linju.outreach.models import HomeTask
from linju.outreach.services import home_task_create_within
from linju.workdays.selectors import add_working_days

from ..held import materials_held
from ..models import Offer

if TYPE_CHECKING:
    from linju.accounts.models import User

# the ways a resident answers by themselves, and the ways staff record what they heard
BY_THEMSELVES = frozenset({Offer.AnsweredVia.SMS, Offer.AnsweredVia.LINK})
HEARD_BY_STAFF = frozenset({Offer.AnsweredVia.PHONE, Offer.AnsweredVia.BOOTH, Offer.AnsweredVia.VISIT})
REASON_LENGTH = 200  # as Offer.decline_reason
HELP_WITHIN_WORKING_DAYS = 5  # a cadre asked to come is due within a working week
# a case of the item not closed yet: the resident already has what the offer would make
UNFINISHED = (*Case.OPEN, Case.Status.SUSPENDED)
# what an answer moves an offer to
STATUS_OF = {
    Offer.Answer.YES: Offer.Status.CONFIRMED,
    Offer.Answer.NO: Offer.Status.DECLINED,
    Offer.Answer.HELP: Offer.Status.HELP,
}


@dataclass(frozen=True)
class OfferAnswered:
    offer: Offer
    answer: str
    case: Case | None = None  # on yes
    home_task: HomeTask | None = None  # on help
    changed: bool = field(default=True, compare=False)  # False: this answer had been recorded before


def _clean(answer: str, via: str, actor: User | None, reason: str) -> str:
    if answer not in Offer.Answer.values:
        raise DomainError(_("Answer yes, no or help."), field="answer")
    if via in HEARD_BY_STAFF:
        if actor is None:
            raise DomainError(
                _("An answer given by phone, at a booth or at a visit is recorded by a member of staff."),
                field="channel",
            )
        require(actor, "offer.answer")
    elif via in BY_THEMSELVES:
        if actor is not None:
            raise DomainError(
                _("Say how you heard the answer: by phone, at a booth or at a visit."), field="channel"
            )
    else:
        raise DomainError(
            _("Say how you heard the answer: by phone, at a booth or at a visit."), field="channel"
        )
    return " ".join(str(reason or "").split())[:REASON_LENGTH]


def _refusal(offer: Offer, answer: str, via: str, today: datetime.date) -> DomainError | None:
    """Why this offer takes no answer now (in plain words), or None."""
    if offer.status in (Offer.Status.AWAITING, Offer.Status.HELD):
        return Conflict(_("This offer has not been sent yet."), code="offer_not_sent")
    if offer.status == Offer.Status.WITHDRAWN:
        return Conflict(
            _(
                "This offer has been withdrawn: the records no longer show you qualify. Ask your town's station."
            ),
            code="offer_withdrawn",
        )
    if offer.status == Offer.Status.CONFIRMED:
        return Conflict(
            _("You have already asked for it: your request is %(number)s."),
            params={"number": offer.case.number if offer.case_id else ""},
            code="offer_confirmed",
        )
    if offer.status in (Offer.Status.DECLINED, Offer.Status.GRANTED):
        return Conflict(_("This offer has been answered already."), code="offer_answered")
    expired = offer.status == Offer.Status.UNANSWERED or (
        offer.status == Offer.Status.OPEN and offer.expires_on is not None and offer.expires_on < today
    )
    # after the time to answer, only a cadre who came to the house or met them records an answer
    if expired and via in BY_THEMSELVES:
        return Conflict(
            _("The time to answer this offer has passed. Ask your town's station."), code="offer_expired"
        )
    return None


def _same_answer(offer: Offer, answer: str) -> bool:
    return bool(offer.answer) and offer.answer == answer and offer.status == STATUS_OF[answer]


def offer_answer(
    *, offer: Offer, answer: str, via: str, actor: User | None = None, reason: str = ""
) -> OfferAnswered:
    """Record the answer to an offer and do what it asks. `via` sms or link: the resident answered
    (no actor); phone, booth or visit: `actor`, the member of staff who heard it (the offer must be in
    their towns). The same answer again changes nothing and answers the same; another answer after a
    yes, or any answer to a withdrawn or expired offer, is refused in plain words."""
    reason = _clean(answer, via, actor, reason)
    with transaction.atomic(durable=True):
        rows = Offer.objects.select_for_update(of=("self",))
        if actor is not None:
            rows = rows.visible_to(actor)
        if not rows.filter(pk=offer.pk).values_list("pk", flat=True):
            raise NotFound(_("No such offer."))
        # read once the lock is held, by a statement of its own: joined rows read with the lock could
        # be those from before a twin answer committed (a case it made would read as none)
        locked = Offer.objects.select_related(
            "resident__village__town", "item", "case", "rule", "home_task"
        ).get(pk=offer.pk)
        if _same_answer(locked, answer):
            return OfferAnswered(
                offer=locked, answer=answer, case=locked.case, home_task=locked.home_task, changed=False
            )
        now = timezone.now()
        refusal = _refusal(locked, answer, via, timezone.localdate(now))
        if refusal is not None:
            raise refusal
        taker = actor or bureau_system_user(bureau_id=locked.bureau_id)
        case = task = None
        if answer == Offer.Answer.YES:
            case = _case_for(locked, taker, now)
            locked.case = case
        elif answer == Offer.Answer.HELP:
            task = _cadre_to_come(locked, taker, now)
            locked.home_task = task
        locked.status = STATUS_OF[answer]
        locked.answer = answer
        locked.answered_at = now
        locked.answered_via = via
        locked.answered_by = actor
        locked.decline_reason = reason if answer == Offer.Answer.NO else ""
        # every value was checked above (bounded reason, answer and way from their choices); the
        # database's constraints hold the rest (an answer has its time and way, staff are named)
        locked.save(
            update_fields=[
                "status",
                "answer",
                "answered_at",
                "answered_via",
                "answered_by",
                "decline_reason",
                "case",
                "home_task",
                "updated_at",
            ]
        )
    return OfferAnswered(offer=locked, answer=answer, case=case, home_task=task)


def _case_for(offer: Offer, taker: User, now: datetime.datetime) -> Case:
    """The case the yes asks for, taken through the intake (inside this transaction): channel offer,
    the papers the bureau holds marked received. A case of the item the resident already has open (they
    applied meanwhile) is the answer instead of a second one."""
    existing = (
        Case.objects.filter(applicant_id=offer.resident_id, item_id=offer.item_id, status__in=UNFINISHED)
        .filter(offer__isnull=True)
        .order_by("-accepted_at")
        .first()
    )
    if existing is not None:
        return existing
    names = list(
        Material.objects.filter(item_id=offer.item_id)
        .order_by("position", "id")
        .values_list("name", flat=True)
    )
    intake = Intake(
        item_code=offer.item.code,
        channel=Channel.OFFER,
        offered=True,
        applicant_id=offer.resident_id,
        description=str(
            _("Asked for when the bureau offered it: %(words)s") % {"words": offer.rule.offer_zh}
        )[:2000],
        materials_received=materials_held(names, offer.resident),
        # one case per offer, whoever sends the yes and however often
        idempotency_key=f"offer-{offer.pk}",
    )
    return case_accept_within(actor=taker, intake=intake, now=now)  # inside this transaction


def _cadre_to_come(offer: Offer, taker: User, now: datetime.datetime) -> HomeTask:
    """A home task for the village's cadre (outreach's service, inside this transaction)."""
    today = timezone.localdate(now)
    return home_task_create_within(
        actor=taker,
        kind=HomeTask.Kind.OTHER,
        resident_id=offer.resident_id,
        asked_via=HomeTask.AskedVia.DISCOVERY,
        due_date=add_working_days(today, HELP_WITHIN_WORKING_DAYS).date,
        item=offer.item,
        note=str(
            _("Asked for a cadre to come about the bureau's offer: %(words)s")
            % {"words": offer.rule.offer_zh}
        ),
    )
