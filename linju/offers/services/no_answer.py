"""Offers nobody answered: one reminder, then a cadre at the door; expired offers end.

Counted in working days (the one calendar, linju/workdays), from the day the offer's text went out,
or from its approval for an offer brought by a cadre:

- 10 working days with no answer: one reminder text (`reminded_at`), when the phone takes texts
  (a mobile that did not reply TD); it counts as the phone's offer text of that day.
- 10 working days after the reminder with no answer (20 after the start when no reminder could go):
  the offer ends `unanswered`, and the cadre of the resident's town gets a home task to ask, unless
  the offer's own home task is still open.
- An offer whose open period has passed (`expires_on` before today) ends `unanswered` the same way.

Run daily at 08:00 with the texts (linju/offers/tasks.py); each step looks at what is still open and
records what it did, so a second run the same day does nothing more.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.notify.sms import can_receive_texts
from linju.outreach.models import HomeTask
from linju.workdays.selectors import add_working_days, calendar

from ..models import Offer
from .channels import (
    BATCH,
    BY_A_CADRE,
    NO_ANSWER_WORKING_DAYS,
    VISIT_WITHIN_WORKING_DAYS,
    TextsOfTheDay,
    offer_text_send,
    offers_visits_make,
    texts_stopped,
)


@dataclass(frozen=True)
class FollowedUp:
    reminded: int
    unanswered: int  # ended for want of an answer (expired ones included)
    visits: int  # home tasks made for them


def started_by(today: datetime.date, working_days: int) -> datetime.datetime:
    """The moment before which a start lies `working_days` or more working days before `today`: the
    start of the day after the latest date whose `working_days`-th working day is today or earlier."""
    work = calendar()
    day = today
    while work.add_working_days(day, working_days).date > today:
        day -= datetime.timedelta(days=1)
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight)


def _began_before(limit: datetime.datetime) -> Q:
    """Texted before `limit`, or approved before it when brought by a cadre."""
    return Q(reach=Offer.Reach.TEXT, texted_at__lt=limit) | Q(reach__in=BY_A_CADRE, approved_at__lt=limit)


def offers_follow_up(*, now: datetime.datetime | None = None) -> FollowedUp:
    """Remind, then end what had no answer (see the module). Not one transaction (a job): each
    reminder is claimed by its outbox row; each batch of ended offers is ended with its visits."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    open_offers = Offer.objects.filter(status=Offer.Status.OPEN, approved_at__isnull=False)
    first = started_by(today, NO_ANSWER_WORKING_DAYS)
    second = started_by(today, 2 * NO_ANSWER_WORKING_DAYS)
    ended, visits = _end_unanswered(
        open_offers.filter(
            Q(reminded_at__lt=first)
            | Q(reminded_at__isnull=True) & _began_before(second)
            | Q(expires_on__lt=today)
        ),
        due=add_working_days(today, VISIT_WITHIN_WORKING_DAYS).date,
    )
    reminded = _remind(open_offers.filter(_began_before(first), reminded_at__isnull=True), moment=moment)
    return FollowedUp(reminded=reminded, unanswered=ended, visits=visits)


def _remind(due, *, moment: datetime.datetime) -> int:
    """The one reminder of each offer due for it whose phone takes texts."""
    reminded = 0
    day, stopped = TextsOfTheDay(), texts_stopped()
    pks = list(due.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        offers = list(
            due.filter(pk__in=pks[start : start + BATCH]).select_related("resident", "rule", "item")
        )
        for offer in offers:
            phone = offer.resident.phone
            if can_receive_texts(phone) and phone not in stopped:
                reminded += offer_text_send(offer, moment=moment, day=day, reminder=True)
    return reminded


def _end_unanswered(ending, *, due: datetime.date) -> tuple[int, int]:
    """End these offers `unanswered`, with a visit for each whose own home task is not still open:
    (ended, visits made)."""
    ended = visits = 0
    while True:
        with transaction.atomic():
            batch = list(
                ending.select_for_update(of=("self",))
                .select_related("rule", "item", "home_task")
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return ended, visits
            visit = [
                offer
                for offer in batch
                if offer.home_task is None or offer.home_task.status != HomeTask.Status.OPEN
            ]
            offers_visits_make(
                visit,
                due=due,
                why=_(
                    "No answer to the offer: %(offer)s. Visit, ask whether they want it and record the answer."
                ),
            )
            ended += Offer.objects.filter(pk__in=[o.pk for o in batch], status=Offer.Status.OPEN).update(
                status=Offer.Status.UNANSWERED, updated_at=timezone.now()
            )
            visits += len(visit)
