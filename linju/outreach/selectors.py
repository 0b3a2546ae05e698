"""Reads for outreach, scoped to the viewer's towns (public reads say so)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.roles import is_platform_admin
from linju.access.scoping import towns_for_viewer
from linju.catalog.acceptance import Offer, PlaceKind, offer
from linju.catalog.selectors import counters_for_viewer
from linju.core import versioned
from linju.core.errors import NotFound
from linju.geo.models import MarketPlace, ServicePoint, Town, Village
from linju.people.shown import text_shown

from .models import (
    BOOTH_HOURS,
    BoothSession,
    Certification,
    Consultation,
    HomeTask,
    LeaderQuota,
    LeaderVisit,
    Pensioner,
    TownOutreach,
)

if TYPE_CHECKING:
    from linju.accounts.models import User
    from linju.cases.models import Case
    from linju.catalog.models import ServiceItem

BOOTHS = "outreach.booths"  # the version of the booth plan, for public answers built from it


def booths_changed() -> None:
    """Say that booths were planned, given items, or cancelled: public answers are built afresh."""
    versioned.changed(BOOTHS)


DEFAULT_VISIT_DAYS = 60
DUE_SOON_DAYS = 14


def market_list(*, town_code: str | None = None) -> QuerySet[MarketPlace]:
    """Public."""
    markets = MarketPlace.objects.select_related("town").order_by("town__code", "code")
    if town_code:
        markets = markets.filter(town__code=town_code)
    return markets


def market_get(*, market_id: int) -> MarketPlace:
    market = MarketPlace.objects.select_related("town").filter(pk=market_id).first()
    if market is None:
        raise NotFound(_("No such market place."))
    return market


# A booth residents may come to: planned, or already held (its first question or case marks it
# held, and it stays open to people until its hours end).
OPEN_TO_RESIDENTS = (BoothSession.Status.PLANNED, BoothSession.Status.HELD)


def first_booth_day(now: datetime.datetime | None = None) -> datetime.date:
    """The first day whose booths are still to come: today until the booths' hours end, else tomorrow."""
    now = timezone.localtime(now or timezone.now())
    return now.date() if now.time() < BOOTH_HOURS[1] else now.date() + datetime.timedelta(days=1)


def next_booths(
    *,
    town: Town | None = None,
    village: Village | None = None,
    now: datetime.datetime | None = None,
    limit: int = 6,
) -> QuerySet[BoothSession]:
    """Public: the coming booth days in a town, or at the markets serving a village and its town.
    Today's booth is coming until its hours end (noon), not after."""
    booths = BoothSession.objects.filter(
        date__gte=first_booth_day(now), status__in=OPEN_TO_RESIDENTS
    ).select_related("market__town")
    if village is not None:
        booths = booths.filter(market__town=village.town)
    elif town is not None:
        booths = booths.filter(market__town=town)
    return booths.order_by("date", "market__name")[:limit]


@dataclass(frozen=True)
class MarketDays:
    """A market as the card prints it: its cycle as people say it and the next days cadres are there."""

    market: MarketPlace
    cycle: str
    next_dates: list[datetime.date]


def market_days_of_town(
    *, town: Town, now: datetime.datetime | None = None, per_market: int = 3
) -> list[MarketDays]:
    """Public: each market of the town with its cycle and its next `per_market` booth days (today's
    while its hours last), nearest market day first; two queries however many markets."""
    first = first_booth_day(now)
    markets = list(MarketPlace.objects.filter(town=town).order_by("code"))
    dates: dict[int, list[datetime.date]] = {m.pk: [] for m in markets}
    for market_id, day in (
        BoothSession.objects.filter(market__town=town, date__gte=first, status__in=OPEN_TO_RESIDENTS)
        .order_by("date")
        .values_list("market_id", "date")
    ):
        if len(dates[market_id]) < per_market:
            dates[market_id].append(day)
    answer = [
        MarketDays(market=m, cycle=m.cycle, next_dates=dates[m.pk]) for m in markets if m.cycle or dates[m.pk]
    ]
    far = datetime.date.max
    return sorted(answer, key=lambda d: (d.next_dates[0] if d.next_dates else far, d.market.code))


def booths_coming(*, town_id: int, first: datetime.date, last: datetime.date) -> QuerySet[BoothSession]:
    """The booths planned or held at the town's markets between two days, earliest first, with their
    markets (public: where a resident can hand in a request). What each takes is the rule of
    acceptance's (`linju.catalog.acceptance`), not the items a booth features."""
    return (
        BoothSession.objects.filter(
            market__town_id=town_id,
            status__in=OPEN_TO_RESIDENTS,
            date__range=(first, last),
        )
        .select_related("market")
        .order_by("date")
    )


def booth_offer(*, booth: BoothSession) -> Offer:
    """What the booth takes on its day, item by item: every item not kept for the hall, finished
    there where the town's station finishes it, otherwise sent to the district the same day. The
    same rule as intake's; the items a booth features (forms brought) do not narrow it."""
    return offer(kind=PlaceKind.BOOTH, town=booth.market.town, on_date=booth.date)


def booth_list(
    *, viewer: User, month: datetime.date | None = None, mine: bool = False
) -> QuerySet[BoothSession]:
    booths = BoothSession.objects.visible_to(viewer)
    if month is not None:
        last = calendar.monthrange(month.year, month.month)[1]
        booths = booths.filter(date__range=(month.replace(day=1), month.replace(day=last)))
    if mine:
        booths = booths.filter(staff=viewer)
    return (
        booths.annotate(
            answered=Count(
                "consultations",
                filter=Q(consultations__outcome=Consultation.Outcome.ANSWERED),
                distinct=True,
            ),
            cases_taken=Count("cases", distinct=True),
        )
        .select_related("market__town")
        .prefetch_related("staff")
        .order_by("date", "market__name")
    )


def booth_get_for_viewer(*, viewer: User, booth_id: int) -> BoothSession:
    booth = BoothSession.objects.select_related("market__town").visible_to(viewer).filter(pk=booth_id).first()
    if booth is None:
        raise NotFound(_("No such booth day."))
    return booth


def counter_get_for_viewer(*, viewer: User, code: str) -> ServicePoint:
    """A counter the viewer works at, by its code (`counters_for_viewer`'s rule); the same NotFound,
    in words, for a counter of another town or bureau as for none."""
    code = str(code)[:40]
    point = next((p for p in counters_for_viewer(viewer=viewer) if p.code == code), None)
    if point is None:
        raise NotFound(
            _("No such counter among those you work at: choose a station of your towns."),
            field="service_point_code",
        )
    return point


def counter_answered_today(
    *, viewer: User, point: ServicePoint, today: datetime.date | None = None
) -> list[BoothEntry]:
    """The questions answered at a counter today, newest first (fifty at most), as a booth day's
    lines; one query. A note may name the person who asked: a leader reads a dash."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    rows = (
        Consultation.objects.filter(
            service_point=point, created_at__gte=start, created_at__lt=start + datetime.timedelta(days=1)
        )
        .visible_to(viewer)
        .select_related("item")
        .order_by("-created_at", "-pk")[:50]
    )
    return [BoothEntry(c.created_at, c.item, text_shown(viewer=viewer, text=c.note), None) for c in rows]


def slip_code_clean(code: str) -> str:
    """A slip's code as typed or read out (spaces, dashes, small letters) in the form it is kept."""
    return "".join(str(code).split()).upper().replace("-", "")[:10]


def slip_get_for_viewer(*, viewer: User, code: str) -> Consultation | None:
    """The consultation whose slip the viewer just handed over (theirs, in their towns), to show the
    slip again after the form that logged it; None for any other code. One query."""
    code = slip_code_clean(code)
    if not code:
        return None
    return (
        Consultation.objects.filter(slip_code=code, created_by=viewer)
        .visible_to(viewer)
        .select_related("booth__market", "service_point", "item")
        .first()
    )


@dataclass(frozen=True)
class BoothEntry:
    """One line of a booth day's record: a question answered on the spot, or a case taken."""

    at: datetime.datetime
    item: ServiceItem | None
    note: str
    case: Case | None


@dataclass(frozen=True)
class BoothWork:
    """What a booth day did: the questions answered on the spot and the cases taken at it, whatever
    the door the case came through (the booth's page, 受理办件, the field app, the API). A question
    turned into a case is counted once, as its case."""

    answered: int
    cases: int
    entries: list[BoothEntry]


def booth_work(*, viewer: User, booth: BoothSession) -> BoothWork:
    """The record of a booth the viewer has read through their scope (`booth_get_for_viewer`), newest
    first; two queries. A consultation's note may name the person who asked: a leader reads a dash."""
    answered = [
        BoothEntry(c.created_at, c.item, text_shown(viewer=viewer, text=c.note), None)
        for c in booth.consultations.filter(outcome=Consultation.Outcome.ANSWERED).select_related("item")
    ]
    cases = [BoothEntry(c.accepted_at, c.item, "", c) for c in booth.cases.select_related("item")]
    entries = sorted(answered + cases, key=lambda e: e.at, reverse=True)
    return BoothWork(answered=len(answered), cases=len(cases), entries=entries)


@dataclass(frozen=True)
class VillageCoverage:
    village: Village
    last_visit: datetime.date | None
    due: datetime.date
    state: str  # "ok", "due_soon", "overdue", "never"


def visit_coverage(
    *, viewer: User, today: datetime.date | None = None, town_code: str | None = None
) -> list[VillageCoverage]:
    """Every village in the viewer's towns with its last visit and when the next is due, most urgent first."""
    today = today or timezone.localdate()
    intervals = dict(TownOutreach.objects.values_list("town_id", "visit_every_days"))
    villages = Village.objects.select_related("town").visible_to(viewer)
    if town_code:
        villages = villages.filter(town__code=town_code)
    villages = villages.annotate(last_visit=Max("visits__date")).order_by("town__code", "code")
    rows = []
    for village in villages:
        every = datetime.timedelta(days=intervals.get(village.town_id, DEFAULT_VISIT_DAYS))
        if village.last_visit is None:
            rows.append(VillageCoverage(village, None, today, "never"))
            continue
        due = village.last_visit + every
        state = "overdue" if due < today else "due_soon" if (due - today).days <= DUE_SOON_DAYS else "ok"
        rows.append(VillageCoverage(village, village.last_visit, due, state))
    order = {"overdue": 0, "never": 1, "due_soon": 2, "ok": 3}
    return sorted(rows, key=lambda r: (order[r.state], r.due, r.village.code))


def home_task_list(*, viewer: User, status: str | None = "open") -> QuerySet[HomeTask]:
    """Visits to named residents' homes: staff's to read; leaders read figures."""
    require(viewer, "person.read")
    tasks = HomeTask.objects.visible_to(viewer)
    if status:
        tasks = tasks.filter(status=status)
    return tasks.select_related("resident__village__town", "assigned_to", "item", "case").order_by(
        "due_date", "id"
    )


def certification_due_by(pensioner: Pensioner, year: int) -> datetime.date:
    """Each pensioner confirms once a year, by the end of their birth month."""
    return due_by_birth_month(pensioner.resident.birth_date, year)


def due_by_birth_month(birth_date: datetime.date, year: int) -> datetime.date:
    month = birth_date.month
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class RosterRow:
    pensioner: Pensioner
    due_by: datetime.date
    certification: Certification | None
    overdue: bool
    home_task: HomeTask | None = None  # this year's home certification visit, when one is planned


def certification_roster(
    *, viewer: User, year: int, village_code: str | None = None, today: datetime.date | None = None
) -> list[RosterRow]:
    require(viewer, "person.read")  # pensioners by name: staff's to read; leaders read figures
    today = today or timezone.localdate()
    pensioners = Pensioner.objects.select_related("resident__village__town").visible_to(viewer)
    if village_code:
        pensioners = pensioners.filter(resident__village__code=village_code)
    done = {
        c.pensioner_id: c
        for c in Certification.objects.filter(year=year, pensioner__in=pensioners).select_related(
            "certified_by"
        )
    }
    visits = {
        t.resident_id: t
        for t in HomeTask.objects.filter(
            certification_year=year, status=HomeTask.Status.OPEN, resident__pensioner__in=pensioners
        ).select_related("assigned_to")
    }
    rows = []
    for pensioner in pensioners.order_by("resident__village__code", "resident__name_initials"):
        due_by = certification_due_by(pensioner, year)
        certification = done.get(pensioner.pk)
        rows.append(
            RosterRow(
                pensioner,
                due_by,
                certification,
                certification is None and due_by < today,
                visits.get(pensioner.resident_id),
            )
        )
    return rows


def certified_how(certification: Certification | None) -> str:
    """How a pensioner was certified, in a line of plain words (the roster's workbook): in person
    (how, when, by whom), by data (which sign, its day and source, synthetic in the demo), or not yet.
    The certification's `certified_by` is read with it (`certification_roster` does)."""
    c = certification
    if c is None:
        return str(_("not yet"))
    if c.method == Certification.Method.DATA:
        line = _("By data: %(sign)s %(day)s · %(source)s") % {
            "sign": c.get_sign_kind_display(),
            "day": c.sign_on.isoformat(),
            "source": c.sign_source,
        }
        return f"{line} ({_('synthetic (demo data)')})" if c.sign_synthetic else str(line)
    line = f"{c.get_method_display()} {c.certified_on.isoformat()}"
    return f"{line} · {c.certified_by}" if c.certified_by else line


@dataclass(frozen=True)
class QuotaProgress:
    quota: LeaderQuota
    towns_visited: int
    enterprises_visited: int

    @property
    def kept(self) -> bool:
        return self.towns_visited >= self.quota.towns and self.enterprises_visited >= self.quota.enterprises


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def leader_progress(*, viewer: User, leader: User | None = None) -> list[QuotaProgress]:
    """Each quota of the leader (or of every leader of the viewer's bureau) and how far it is kept."""
    quotas = LeaderQuota.objects.select_related("leader")
    if leader is not None:
        quotas = quotas.filter(leader=leader)
    elif not is_platform_admin(viewer):
        quotas = quotas.filter(leader__bureau_id=viewer.bureau_id)
    rows = []
    for quota in quotas.order_by("-year", "-quarter", "leader__username"):
        start = datetime.date(quota.year, 3 * quota.quarter - 2, 1)
        end_month = 3 * quota.quarter
        end = datetime.date(quota.year, end_month, calendar.monthrange(quota.year, end_month)[1])
        visits = LeaderVisit.objects.filter(leader=quota.leader, date__range=(start, end))
        rows.append(
            QuotaProgress(
                quota,
                visits.filter(kind=LeaderVisit.Kind.TOWN).values("town").distinct().count(),
                visits.filter(kind=LeaderVisit.Kind.ENTERPRISE).values("enterprise").distinct().count(),
            )
        )
    return rows


def leader_visit_list(*, viewer: User) -> QuerySet[LeaderVisit]:
    return LeaderVisit.objects.select_related("leader", "town").visible_to(viewer)


def visit_findings_for_employers(employer_ids: list[int]) -> list[tuple[int, datetime.date, str]]:
    """What leaders found on their visits to these employers, as (employer id, day, findings): the
    notes jobs shows beside the employers' unfilled vacancies (registered in apps.py; jobs knows
    nothing of outreach). Not scoped: jobs has already chosen the employers the viewer sees."""
    return list(
        LeaderVisit.objects.filter(employer_id__in=employer_ids)
        .order_by("-date")
        .values_list("employer_id", "date", "findings")
    )


def towns_planning_booths(*, viewer: User) -> QuerySet[Town]:
    return towns_for_viewer(viewer).filter(outreach__plans_booths=True).order_by("code")
