"""What a case promises the resident, decided once and said the same way on the receipt, the one-time
notice, the case and status pages, the API and every text.

While the clock is paused (材料不全 at intake, 补正, sent back) there is no date to promise: only how
many working days after the missing materials are complete. An item done on the spot (a time limit of
0 working days) says "当场办结" where a date would be, never "answer by" today's date. Otherwise the
promised date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Case

PAUSED = "paused"
ON_THE_SPOT = "on_the_spot"
BY_DATE = "by_date"


@dataclass(frozen=True)
class Promise:
    kind: str  # paused, on_the_spot, by_date
    days: int  # working days on the clock (paused: the days left once the materials are complete)
    date: datetime.date | None  # by_date only
    instant: bool = False  # the item is done on the spot (its time limit is 0 working days)

    @property
    def paused(self) -> bool:
        return self.kind == PAUSED

    @property
    def on_the_spot(self) -> bool:
        return self.kind == ON_THE_SPOT


def case_promise(case: Case) -> Promise:
    """The promise as the case stands: paused while suspended, on the spot when no working day is on
    its clock (and no extension moved its date) and it was not sent on to the district, otherwise its
    promised date."""
    # a case sent on to the district is never done on the spot, whatever its item's time limit
    sent_on = case.forwarded_at is not None
    instant = case.item.time_limit_days == 0 and not sent_on
    if case.status == Case.Status.SUSPENDED:
        return Promise(PAUSED, case.remaining_days or 0, None, instant)
    start = case.clock_from or timezone.localtime(case.accepted_at).date()
    days = case.clock_days if case.clock_days is not None else case.item.time_limit_days
    if days == 0 and case.promised_date <= start and not sent_on:
        return Promise(ON_THE_SPOT, 0, None, instant)
    return Promise(BY_DATE, days, case.promised_date, instant)


def promise_sentence(promise: Promise, office: str) -> str:
    """The promise as one sentence naming the office that answers, in the active language."""
    if promise.kind == BY_DATE:
        message = _("%(office)s will answer you by %(date)s.")
    elif promise.kind == ON_THE_SPOT:
        message = _("%(office)s does it on the spot.")
    elif promise.days:
        message = _(
            "Once the missing materials are complete, %(office)s will answer you within %(days)s working days."
        )
    elif promise.instant:
        message = _("Once the missing materials are complete, %(office)s does it on the spot.")
    else:
        message = _("Once the missing materials are complete, %(office)s will answer you at once.")
    date = promise.date.strftime("%Y-%m-%d") if promise.date else ""
    return str(message) % {"office": office, "date": date, "days": promise.days}
