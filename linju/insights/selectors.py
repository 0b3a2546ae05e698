"""Figures for leaders: every count scoped to the viewer's towns, each with the list behind it."""

from __future__ import annotations

import datetime
import operator
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import reduce
from typing import TYPE_CHECKING

from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.scoping import towns_for_viewer
from linju.cases.jinbao_selectors import JinbaoTownFigures, jinbao_figures
from linju.cases.models import Case, FollowUp, Rating
from linju.cases.rating_selectors import RatingFigures, overdue_callbacks_by_town, rating_figures, ratings_in
from linju.catalog.models import Channel, ServiceItem
from linju.core.errors import DomainError, NotFound
from linju.core.periods import Period
from linju.core.replica import replica_reads
from linju.geo.models import ServicePoint, Town, TravelTime
from linju.jobs.models import Referral, ReferralStep
from linju.jobs.selectors import unfilled_demand
from linju.offers.funnel import OfferFunnel, offer_funnel
from linju.outreach.models import BoothSession, Certification, Consultation, HomeTask, Pensioner, VisitRecord
from linju.outreach.selectors import visit_coverage

from .models import ImportJob

if TYPE_CHECKING:
    from linju.accounts.models import User

TREND_MONTHS = 6
UNVISITED_DAYS = 60
# Where a case was taken, from far to near home.
PLACE_HALL, PLACE_STATION, PLACE_MARKET, PLACE_VILLAGE, PLACE_REMOTE = (
    "district_hall",
    "town_station",
    "market",
    "village",
    "remote",
)
PLACE_LABELS = {
    PLACE_HALL: _("district service hall"),
    PLACE_STATION: _("township station"),
    PLACE_MARKET: _("market-day booth"),
    PLACE_VILLAGE: _("in the village or at home"),
    PLACE_REMOTE: _("by phone or online"),
}
NEAR_HOME = (PLACE_STATION, PLACE_MARKET, PLACE_VILLAGE, PLACE_REMOTE)


def percent(part: int, whole: int) -> float | None:
    """part of whole in per cent, one decimal; None of nothing."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Rate:
    """Promised dates kept, honestly: cases closed by their promised date over every case that was
    due, that is those closed in the period and those still open past their promised date at its
    end. An overdue case still open counts against the rate, so a place with one is never at 100 %."""

    label: str
    total: int  # closed in the period
    kept: int  # of those, closed on or before the promised date
    key: str = ""
    overdue: int = 0  # open past the promised date at the period's end (today, for the month running)

    @property
    def late(self) -> int:
        return self.total - self.kept

    @property
    def due(self) -> int:
        """The denominator: closed in the period, and overdue and still open."""
        return self.total + self.overdue

    @property
    def share(self) -> float | None:
        """The rate as a fraction (for spreadsheets), None when nothing was due."""
        return self.kept / self.due if self.due else None

    @property
    def rate(self) -> float | None:
        """The rate in per cent, one decimal; 100 only when every case due was closed in time."""
        if not self.due:
            return None
        rate = round(100 * self.kept / self.due, 1)
        return min(rate, 99.9) if self.kept < self.due else rate


@dataclass
class TownRow:
    town: Town
    kept: Rate
    overdue: int
    satisfaction: float | None
    ratings: int


@dataclass
class Dashboard:
    period: Period
    town: Town | None
    towns: list[Town]
    kept: Rate
    kept_by_town: list[Rate]
    kept_by_item: list[Rate]
    trend: list[Rate]
    overdue_now: int
    by_channel: list[tuple[str, str, int]]
    by_place: list[tuple[str, str, int]]
    near_home_share: float | None
    travel_spared_minutes: int
    travel_counted_cases: int
    booths_held: int
    # at the booths held: questions answered on the spot and cases taken, whatever the door a case
    # came through (a question turned into a case counts once, as its case)
    booth_answered: int
    booth_cases: int
    # questions answered at a station's or the hall's counter with no case taken (each rated by its slip)
    counter_answered: int
    market_cases_without_booth: int  # taken at a market on a day it had no booth
    villages_overdue: int
    villages_total: int
    home_tasks_open: int
    funnel: list[tuple[str, str, int]]
    hires: int
    town_rows: list[TownRow] = field(default_factory=list)
    # the rest of the month: the same in the monthly workbook
    villages_visited: int = 0  # villages visited in the month
    villages_unvisited: list = field(default_factory=list)  # not visited for UNVISITED_DAYS (coverage rows)
    home_tasks_done: int = 0  # done in the month
    certification: list[tuple[Town, int, int]] = field(
        default_factory=list
    )  # pensioners, certified this year
    unfilled: list = field(default_factory=list)  # unmet employer demand, with the main reason
    rating_levels: list[tuple[int, str, int]] = field(default_factory=list)
    follow_ups_opened: int = 0
    follow_ups_answered: int = 0
    # 好差评 of the month (cases and booth visits): 实名差评回访率, 整改率; callbacks overdue now by town
    rating_figures: RatingFigures | None = None
    callbacks_overdue: list[tuple[str, str, int]] = field(default_factory=list)
    taken_total: int = 0  # cases taken in the month: the denominator of near_home_share
    taken_near_home: int = 0  # its numerator
    # 免申即享: by offered rule and town (and village), from eligible to cases finished
    offers: OfferFunnel | None = None
    # 金保: by town, days from intake to entry (entered in the month) and the cases still waiting now
    jinbao: list[JinbaoTownFigures] = field(default_factory=list)

    @property
    def channel_shares(self) -> list[tuple[str, str, int, float | None]]:
        """by_channel with each channel's share of the cases taken, in per cent."""
        return [(k, label, n, percent(n, self.taken_total)) for k, label, n in self.by_channel]

    @property
    def place_shares(self) -> list[tuple[str, str, int, float | None]]:
        """by_place with each kind of place's share of the cases taken, in per cent."""
        return [(k, label, n, percent(n, self.taken_total)) for k, label, n in self.by_place]

    @property
    def pensioners(self) -> int:
        return sum(n for _t, n, _c in self.certification)

    @property
    def certified(self) -> int:
        return sum(c for _t, _n, c in self.certification)

    @property
    def certified_rate(self) -> float | None:
        return round(100 * self.certified / self.pensioners, 1) if self.pensioners else None


def _cases(viewer: User, town: Town | None) -> QuerySet[Case]:
    cases = Case.objects.all().visible_to(viewer)
    return cases.filter(town=town) if town else cases


def overdue_q(period: Period, today: datetime.date) -> Q:
    """Cases open past their promised date at the period's end: today, for the month still running
    (the "overdue" work list); for a past month, promised before its end and not closed by then
    (a case waiting for materials has its clock stopped and is not overdue); none for a month not
    begun."""
    if today < period.start:
        return Q(pk__in=[])
    if period.start <= today < period.end:
        return Q(status__in=Case.OPEN, promised_date__lt=today)
    _start, end = period.aware()
    return (
        Q(accepted_at__lt=end, promised_date__lt=period.end)
        & ~Q(closed_at__lt=end)
        & ~Q(status=Case.Status.SUSPENDED)
    )


def kept_rates(
    *, cases: QuerySet[Case], periods: list[Period], today: datetime.date, by: tuple[str, ...] = ()
) -> dict[tuple, Rate]:
    """The one count of promised dates kept, used by the dashboard, its charts and the monthly
    workbook. Per (month's label, *values of the `by` fields): the cases closed in the month, how
    many by their promised date (the closing day counts), and how many were overdue and still open
    at its end (Rate says what the rate of these is). Two queries, however many months."""
    tz = timezone.get_current_timezone()
    out: dict[tuple, Rate] = {}

    def rate(key: tuple) -> Rate:
        return out.setdefault(key, Rate(label=key[0], total=0, kept=0))

    labels = {p.label for p in periods}
    since, until = Period(min(p.start for p in periods), max(p.end for p in periods)).aware()
    closed = cases.filter(status__in=Case.CLOSED, closed_at__gte=since, closed_at__lt=until)
    for promised, closed_at, *key in closed.values_list("promised_date", "closed_at", *by):
        day = timezone.localtime(closed_at, tz).date()
        if f"{day:%Y-%m}" not in labels:
            continue
        r = rate((f"{day:%Y-%m}", *key))
        r.total += 1
        r.kept += day <= promised
    overdue = [overdue_q(p, today) for p in periods]
    counts = {f"overdue_{i}": Count("pk", filter=q) for i, q in enumerate(overdue)}
    candidates = cases.filter(reduce(operator.or_, overdue))  # only cases overdue at some month's end
    if by:
        rows = candidates.values(*by).annotate(**counts).order_by()
    else:
        rows = [candidates.aggregate(**counts)]
    for row in rows:
        key = tuple(row[f] for f in by)
        for i, p in enumerate(periods):
            if row[f"overdue_{i}"]:
                rate((p.label, *key)).overdue += row[f"overdue_{i}"]
    return out


def place_of(case: dict, hall_ids: set[int]) -> str:
    if case["channel"] in (Channel.PHONE, Channel.ONLINE):
        return PLACE_REMOTE
    if case["channel"] == Channel.HOME_VISIT or case["taken_at_village_id"]:
        return PLACE_VILLAGE
    if case["taken_at_market_id"]:
        return PLACE_MARKET
    if case["taken_at_point_id"] in hall_ids:
        return PLACE_HALL
    return PLACE_STATION


def _minutes(**where) -> Subquery:
    """The fewest minutes of travel from the case's applicant's village to a place, as a subquery."""
    return Subquery(
        TravelTime.objects.filter(village_id=OuterRef("applicant__village_id"), **where)
        .order_by("minutes")
        .values("minutes")[:1]
    )


def places_and_travel(taken: QuerySet[Case], hall_ids: set[int]) -> tuple[dict[str, int], int, int]:
    """Where the cases were taken (counts by kind of place), the minutes of travel to the district
    hall spared by taking them nearer home, and how many cases that was worked out for (those whose
    travel times are known). One query: the minutes come from the database beside each case, never
    a read of the whole travel-time table."""
    rows = taken.annotate(
        to_hall=_minutes(
            service_point__kind=ServicePoint.Kind.DISTRICT_HALL,
            service_point__bureau_id=OuterRef("town__bureau_id"),
        ),
        to_market=_minutes(market_place_id=OuterRef("taken_at_market_id")),
        to_point=_minutes(service_point_id=OuterRef("taken_at_point_id")),
    ).values(
        "channel",
        "taken_at_point_id",
        "taken_at_market_id",
        "taken_at_village_id",
        "to_hall",
        "to_market",
        "to_point",
    )
    places: dict[str, int] = defaultdict(int)
    spared = counted = 0
    for case in rows:
        place = place_of(case, hall_ids)
        places[place] += 1
        if case["to_hall"] is None:
            continue
        if place in (PLACE_VILLAGE, PLACE_REMOTE):
            there = 0
        elif place == PLACE_MARKET:
            there = case["to_market"]
        else:
            there = case["to_point"]
        if there is None:
            continue
        spared += case["to_hall"] - there
        counted += 1
    return places, spared, counted


@replica_reads()  # figures a moment behind are fine; the drill-down lists read the primary
def dashboard(
    *, viewer: User, period: Period, town_code: str | None = None, today: datetime.date | None = None
) -> Dashboard:
    """The leaders' page, panel by panel: promises kept and overdue, where cases are taken, the
    people's ratings, outreach's work, the jobs funnel and the offers' (免申即享), in the viewer's towns (or one of them)."""
    today = today or timezone.localdate()
    towns = list(towns_for_viewer(viewer).order_by("code"))
    town = None
    if town_code:
        town = next((t for t in towns if t.code == town_code), None)
        if town is None:
            raise DomainError(_("No such town among the towns you serve."), field="town", code="bad_town")
    cases = _cases(viewer, town)
    shown = [t for t in towns if not town or t == town]
    promises = _promises_panel(cases=cases, towns=shown, period=period, today=today)
    overdue_counts = _overdue_by_town(cases=cases, today=today)
    start, end = period.aware()
    ratings = Rating.objects.filter(case__in=cases, created_at__gte=start, created_at__lt=end)
    return Dashboard(
        period=period,
        town=town,
        towns=towns,
        overdue_now=sum(overdue_counts.values()),
        town_rows=_town_rows(
            towns=shown, kept_by_town=promises["kept_by_town"], overdue=overdue_counts, ratings=ratings
        ),
        **promises,
        **_places_panel(cases=cases, period=period),
        **_ratings_panel(viewer=viewer, ratings=ratings, town=town, period=period),
        **_outreach_panel(viewer=viewer, towns=towns, town=town, period=period, today=today),
        **_jobs_panel(viewer=viewer, town=town, period=period, today=today),
        offers=offer_funnel(viewer=viewer, town=town),
        jinbao=jinbao_figures(cases=cases, towns=shown, period=period, today=today),
    )


def _promises_panel(
    *, cases: QuerySet[Case], towns: list[Town], period: Period, today: datetime.date
) -> dict:
    """Promised dates kept in the month, by town (every town shown, those with nothing due
    included: drawn as "no cases", never left out), by item, and month by month before it."""
    month = period.label
    by_town = kept_rates(cases=cases, periods=[period], today=today, by=("town_id",))
    kept_by_town = [
        replace(by_town.get((month, t.pk), Rate("", 0, 0)), label=t.name, key=t.code) for t in towns
    ]
    kept = Rate(  # every case is in one of the viewer's towns: the whole is the sum of the towns
        month,
        sum(r.total for r in kept_by_town),
        sum(r.kept for r in kept_by_town),
        overdue=sum(r.overdue for r in kept_by_town),
    )
    items = {i.pk: i for i in ServiceItem.objects.all()}
    kept_by_item = sorted(
        (
            replace(r, label=items[item_id].name, key=items[item_id].code)
            for (_m, item_id), r in kept_rates(
                cases=cases, periods=[period], today=today, by=("item_id",)
            ).items()
        ),
        key=lambda r: (-r.due, r.key),
    )
    months = [period]
    while len(months) < TREND_MONTHS:
        months.insert(0, months[0].previous())
    by_month = kept_rates(cases=cases, periods=months, today=today)
    trend = [by_month.get((m.label,), Rate(m.label, 0, 0)) for m in months]
    return {"kept": kept, "kept_by_town": kept_by_town, "kept_by_item": kept_by_item, "trend": trend}


def _overdue_by_town(*, cases: QuerySet[Case], today: datetime.date) -> dict[int, int]:
    """The cases still open past their promised date today, by town."""
    overdue = cases.filter(status__in=Case.OPEN, promised_date__lt=today)
    return dict(overdue.values_list("town_id").annotate(n=Count("pk")).order_by())


def _town_rows(
    *, towns: list[Town], kept_by_town: list[Rate], overdue: dict[int, int], ratings: QuerySet[Rating]
) -> list[TownRow]:
    """One row a town: promises kept, cases overdue now, and the people's ratings."""
    rating_rows = {
        t: (avg, n)
        for t, avg, n in ratings.values_list("case__town_id").annotate(avg=Avg("level"), n=Count("pk"))
    }
    kept_of = {r.key: r for r in kept_by_town}
    return [
        TownRow(
            town=t,
            kept=kept_of.get(t.code, Rate(t.name, 0, 0, t.code)),
            overdue=overdue.get(t.pk, 0),
            satisfaction=round(rating_rows[t.pk][0], 2) if t.pk in rating_rows else None,
            ratings=rating_rows.get(t.pk, (None, 0))[1],
        )
        for t in towns
    ]


def _places_panel(*, cases: QuerySet[Case], period: Period) -> dict:
    """Where the month's cases were taken: by channel, by place from the hall to home, the share
    taken near home and the travel it spared."""
    start, end = period.aware()
    taken = cases.filter(accepted_at__gte=start, accepted_at__lt=end)
    channel_counts = dict(taken.values_list("channel").annotate(n=Count("pk")))
    hall_ids = set(
        ServicePoint.objects.filter(kind=ServicePoint.Kind.DISTRICT_HALL).values_list("pk", flat=True)
    )
    places, spared, counted = places_and_travel(taken, hall_ids)
    total_taken = sum(places.values())
    near = sum(places.get(k, 0) for k in NEAR_HOME)
    return {
        "by_channel": [(value, str(label), channel_counts.get(value, 0)) for value, label in Channel.choices],
        "by_place": [(key, str(label), places.get(key, 0)) for key, label in PLACE_LABELS.items()],
        "near_home_share": round(100 * near / total_taken, 1) if total_taken else None,
        "taken_total": total_taken,
        "taken_near_home": near,
        "travel_spared_minutes": spared,
        "travel_counted_cases": counted,
        "market_cases_without_booth": taken.filter(taken_at_market__isnull=False, booth__isnull=True).count(),
    }


def _ratings_panel(*, viewer: User, ratings: QuerySet[Rating], town: Town | None, period: Period) -> dict:
    """The month's ratings by level, and the follow-ups opened and answered."""
    start, end = period.aware()
    follow_ups = FollowUp.objects.all().visible_to(viewer)
    if town:
        follow_ups = follow_ups.filter(town=town)
    level_counts = dict(ratings.values_list("level").annotate(n=Count("pk")))
    return {
        "rating_levels": [
            (value, str(label), level_counts.get(value, 0)) for value, label in Rating.Level.choices
        ],
        "follow_ups_opened": follow_ups.filter(created_at__gte=start, created_at__lt=end).count(),
        "follow_ups_answered": follow_ups.filter(closed_at__gte=start, closed_at__lt=end).count(),
        "rating_figures": rating_figures(ratings_in(viewer=viewer, start=start, end=end, town=town)),
        "callbacks_overdue": overdue_callbacks_by_town(viewer=viewer, town=town),
    }


def _outreach_panel(
    *, viewer: User, towns: list[Town], town: Town | None, period: Period, today: datetime.date
) -> dict:
    """Outreach's month: booths held and what they answered, villages visited and left unvisited,
    home tasks open and done, and the pensioners certified this year by town."""
    booths = BoothSession.objects.filter(
        status=BoothSession.Status.HELD, date__gte=period.start, date__lt=period.end
    ).visible_to(viewer)
    tasks = HomeTask.objects.filter(status=HomeTask.Status.OPEN).visible_to(viewer)
    visits = VisitRecord.objects.filter(date__gte=period.start, date__lt=period.end).visible_to(viewer)
    done_tasks = HomeTask.objects.filter(
        status=HomeTask.Status.DONE, done_on__gte=period.start, done_on__lt=period.end
    ).visible_to(viewer)
    pensioners = Pensioner.objects.all().visible_to(viewer)
    counter_questions = Consultation.objects.filter(
        service_point__isnull=False,
        outcome=Consultation.Outcome.ANSWERED,
        created_at__date__gte=period.start,
        created_at__date__lt=period.end,
    ).visible_to(viewer)
    if town:
        booths = booths.filter(market__town=town)
        counter_questions = counter_questions.filter(town=town)
        tasks = tasks.filter(resident__village__town=town)
        visits = visits.filter(village__town=town)
        done_tasks = done_tasks.filter(resident__village__town=town)
        pensioners = pensioners.filter(resident__village__town=town)
    booth_figures = booths.aggregate(
        held=Count("pk", distinct=True),
        answered=Count(
            "consultations", filter=Q(consultations__outcome=Consultation.Outcome.ANSWERED), distinct=True
        ),
        cases=Count("cases", distinct=True),
    )
    coverage = visit_coverage(viewer=viewer, today=today, town_code=town.code if town else None)
    since = today - datetime.timedelta(days=UNVISITED_DAYS)
    year = min(today, period.end - datetime.timedelta(days=1)).year
    roster = dict(pensioners.values_list("resident__village__town_id").annotate(n=Count("pk")))
    certified = dict(
        Certification.objects.filter(pensioner__in=pensioners, year=year)
        .values_list("pensioner__resident__village__town_id")
        .annotate(n=Count("pensioner", distinct=True))
    )
    return {
        "booths_held": booth_figures["held"],
        "booth_answered": booth_figures["answered"],
        "booth_cases": booth_figures["cases"],
        "counter_answered": counter_questions.count(),
        "villages_overdue": sum(1 for row in coverage if row.state in ("overdue", "never")),
        "villages_total": len(coverage),
        "villages_visited": visits.values("village").distinct().count(),
        "villages_unvisited": [row for row in coverage if row.last_visit is None or row.last_visit < since],
        "home_tasks_open": tasks.count(),
        "home_tasks_done": done_tasks.count(),
        "certification": [(t, roster[t.pk], certified.get(t.pk, 0)) for t in towns if roster.get(t.pk)],
    }


def _jobs_panel(*, viewer: User, town: Town | None, period: Period, today: datetime.date) -> dict:
    """The month's referrals by the furthest step each reached, the hires, and the employers'
    demand still unfilled."""
    start, end = period.aware()
    referrals = Referral.objects.all().visible_to(viewer)
    if town:
        referrals = referrals.filter(seeker__resident__village__town=town)
    steps = ReferralStep.objects.filter(referral__in=referrals, created_at__gte=start, created_at__lt=end)
    step_counts = dict(steps.values_list("status").annotate(n=Count("referral", distinct=True)))
    unfilled = unfilled_demand(viewer=viewer, today=today)
    if town:
        unfilled = [u for u in unfilled if u.vacancy.employer.village.town_id == town.pk]
    return {
        "funnel": [
            (value, str(label), step_counts.get(value, 0)) for value, label in Referral.Status.choices
        ],
        "hires": step_counts.get(Referral.Status.HIRED, 0),
        "unfilled": unfilled,
    }


def import_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """The viewer's own imports, newest first (their files stay in the storage, unread)."""
    return ImportJob.objects.filter(created_by=viewer)


def import_job_get(*, viewer: User, job_id: int) -> ImportJob:
    """One of the viewer's own imports; anyone else's is as missing as one that never was."""
    job = import_jobs(viewer=viewer).filter(pk=job_id).first()
    if job is None:
        raise NotFound(_("No such import."))
    return job
