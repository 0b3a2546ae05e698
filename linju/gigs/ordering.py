"""The published order of the candidates for a gig (零工派工顺序), in one pure module.

Who may be sent at all (hard rules, never broken):
- signed in on the day (the facts given here are those of the day's sign-ins);
- of an age within the gig's range on its first day;
- able to reach the village of the work (one of the villages they named);
- heavy work only for those who said they accept it;
- free for the gig's whole hours (their hours cover it) and not already sent to a gig whose days
  and hours overlap it (several short gigs a day, when their hours do not overlap).

In what order, for those who may:
1. the quarter hour they signed in (签到批次): whoever came earlier comes first;
2. then fit: who knows this kind of work (it is among their skills) before who does not;
3. then days waited without work (longest first);
4. then the exact moment of signing in, then the registration number (never a tie).

The order reads nothing else of a person: no sex, ethnicity, 户籍 or home village is given to it
(`WorkerFacts` has no such field), as vacancies refuse them (linju/jobs).

Two ways to the same order: `order_plainly` checks every signed-in worker against every rule and
sorts (the rule as written, for one gig and the tests); `DayOrder` indexes the day's sign-ins once
by village, sorted by everything but fit, so that ordering thousands of gigs walks only the workers
who can reach each. The tests hold them equal on random gigs."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ROUND_MINUTES = 15  # sign-ins within the same quarter hour count as arriving together


def minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


@dataclass(frozen=True)
class GigFacts:
    """What the order reads of a gig."""

    id: int
    work_type_id: int
    village_id: int
    first_day: datetime.date
    last_day: datetime.date
    start: int  # minutes after midnight
    end: int
    min_age: int
    max_age: int | None
    heavy: bool


@dataclass(frozen=True)
class Busy:
    """A gig the worker is already sent to: its days and hours."""

    first_day: datetime.date
    last_day: datetime.date
    start: int
    end: int
    gig_id: int = 0


@dataclass(frozen=True)
class WorkerFacts:
    """What the order reads of a signed-in worker (and nothing more)."""

    id: int
    signed_in_at: datetime.datetime  # aware or naive, the same for every worker of a day
    birth_date: datetime.date
    work_type_ids: frozenset[int]
    village_ids: frozenset[int]
    free_from: int  # minutes after midnight
    free_until: int
    accepts_heavy: bool
    days_waited: int
    busy: tuple[Busy, ...] = field(default=())


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def sign_in_round(signed_in_at: datetime.datetime) -> int:
    """The quarter hour of the day the worker signed in (0 from midnight)."""
    return (signed_in_at.hour * 60 + signed_in_at.minute) // ROUND_MINUTES


def _overlaps(gig: GigFacts, busy: Busy) -> bool:
    return (
        busy.gig_id != gig.id
        and busy.first_day <= gig.last_day
        and gig.first_day <= busy.last_day
        and busy.start < gig.end
        and gig.start < busy.end
    )


# why a worker may not be sent, each with its words (said by `exclusion_words`)
TOO_YOUNG, TOO_OLD, OUT_OF_REACH, NOT_HEAVY, HOURS, TAKEN = (
    "too_young",
    "too_old",
    "out_of_reach",
    "not_heavy",
    "hours",
    "taken",
)


def exclusions(gig: GigFacts, worker: WorkerFacts) -> list[str]:
    """Every hard rule the worker fails for this gig ([] when they may be sent)."""
    failed = []
    age = age_on(worker.birth_date, gig.first_day)
    if age < gig.min_age:
        failed.append(TOO_YOUNG)
    if gig.max_age is not None and age > gig.max_age:
        failed.append(TOO_OLD)
    if gig.village_id not in worker.village_ids:
        failed.append(OUT_OF_REACH)
    if gig.heavy and not worker.accepts_heavy:
        failed.append(NOT_HEAVY)
    if not (worker.free_from <= gig.start and gig.end <= worker.free_until):
        failed.append(HOURS)
    if any(_overlaps(gig, busy) for busy in worker.busy):
        failed.append(TAKEN)
    return failed


def fit(gig: GigFacts, worker: WorkerFacts) -> int:
    """1 when the work is among the worker's skills, else 0."""
    return 1 if gig.work_type_id in worker.work_type_ids else 0


def sort_key(gig: GigFacts, worker: WorkerFacts) -> tuple:
    return (
        sign_in_round(worker.signed_in_at),
        -fit(gig, worker),
        -worker.days_waited,
        worker.signed_in_at,
        worker.id,
    )


@dataclass(frozen=True)
class Candidate:
    position: int  # 1 first
    worker: WorkerFacts
    fit: int


def order_plainly(gig: GigFacts, workers: Iterable[WorkerFacts]) -> list[Candidate]:
    """The order by the rule as written: every worker checked against every rule, then sorted."""
    allowed = [worker for worker in workers if not exclusions(gig, worker)]
    allowed.sort(key=lambda worker: sort_key(gig, worker))
    return [Candidate(n, worker, fit(gig, worker)) for n, worker in enumerate(allowed, start=1)]


class DayOrder:
    """The day's sign-ins indexed once by the villages each can reach, sorted within a village by
    (round, days waited, moment, id); a gig's order is then a walk of its village's list that keeps
    who passes the other rules and, round by round, puts who knows the work first."""

    def __init__(self, workers: Iterable[WorkerFacts]):
        by_village: dict[int, list[WorkerFacts]] = defaultdict(list)
        for worker in workers:
            for village_id in worker.village_ids:
                by_village[village_id].append(worker)
        self._by_village = {
            village_id: sorted(
                listed,
                key=lambda w: (sign_in_round(w.signed_in_at), -w.days_waited, w.signed_in_at, w.id),
            )
            for village_id, listed in by_village.items()
        }

    def order(self, gig: GigFacts) -> list[Candidate]:
        result: list[Candidate] = []
        skilled: list[WorkerFacts] = []
        others: list[WorkerFacts] = []
        current_round = None

        def close_round() -> None:
            for worker in skilled:
                result.append(Candidate(len(result) + 1, worker, 1))
            for worker in others:
                result.append(Candidate(len(result) + 1, worker, 0))
            skilled.clear()
            others.clear()

        for worker in self._by_village.get(gig.village_id, ()):
            age = age_on(worker.birth_date, gig.first_day)
            if age < gig.min_age or (gig.max_age is not None and age > gig.max_age):
                continue
            if gig.heavy and not worker.accepts_heavy:
                continue
            if worker.free_from > gig.start or gig.end > worker.free_until:
                continue
            if worker.busy and any(_overlaps(gig, busy) for busy in worker.busy):
                continue
            this_round = sign_in_round(worker.signed_in_at)
            if this_round != current_round:
                close_round()
                current_round = this_round
            (skilled if gig.work_type_id in worker.work_type_ids else others).append(worker)
        close_round()
        return result


def _clock(moment: datetime.datetime) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def reasons(candidate: Candidate) -> list[str]:
    """Why the candidate holds their place, in plain words (the active language)."""
    worker = candidate.worker
    round_start = sign_in_round(worker.signed_in_at) * ROUND_MINUTES
    words = [
        _("signed in at %(time)s (the %(start)s–%(end)s quarter)")
        % {
            "time": _clock(worker.signed_in_at),
            "start": f"{round_start // 60}:{round_start % 60:02d}",
            "end": f"{(round_start + ROUND_MINUTES) // 60}:{(round_start + ROUND_MINUTES) % 60:02d}",
        },
        _("knows this work") if candidate.fit else _("has not named this work among their skills"),
        ngettext("%(days)d day without work", "%(days)d days without work", worker.days_waited)
        % {"days": worker.days_waited}
        if worker.days_waited
        else _("no day without work yet"),
    ]
    return words


def exclusion_words(reason: str) -> str:
    """A hard rule a worker fails, in plain words (the active language)."""
    return {
        TOO_YOUNG: _("younger than the gig asks"),
        TOO_OLD: _("older than the gig asks"),
        OUT_OF_REACH: _("cannot reach the village of the work"),
        NOT_HEAVY: _("does not take heavy work"),
        HOURS: _("not free for all of the gig's hours"),
        TAKEN: _("already sent to a gig at the same hours"),
    }[reason]
