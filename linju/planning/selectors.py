"""The travel model: villages, their people, the places that can finish a delegated item, and the
minutes between them (the TravelTime table), as a solver instance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from linju.access.scoping import towns_for_viewer
from linju.core.errors import DomainError, NotFound
from linju.geo.models import MarketPlace, ServicePoint, TravelTime, Village

from . import solver
from .models import PlanRun
from .solver import COVER, Instance, distances

if TYPE_CHECKING:
    from linju.accounts.models import User


@dataclass
class Area:
    villages: list[Village]
    markets: list[MarketPlace]
    instance: Instance
    synthetic: bool  # travel times made up for the demo


@dataclass(frozen=True)
class Figures:
    mean_minutes: float | None
    within_30: float | None  # share of people, 0–100
    within_60: float | None
    people: int


def planning_area(*, viewer: User, town_code: str | None = None) -> Area:
    """Villages of the viewer's towns (or one of them); the places that take a request always open:
    the district hall and every town's station (a station takes every item not kept for the hall,
    finishing it or forwarding it the same day, promised from the moment it took it: the resident's
    journey ends there); candidate market places in those towns. Population: as entered for the
    village, else the registry's count."""
    towns = towns_for_viewer(viewer)
    if town_code:
        towns = towns.filter(code=town_code)
        if not towns.exists():
            raise DomainError(_("No such town among the towns you serve."), field="town", code="bad_town")
    villages = list(
        Village.objects.filter(town__in=towns)
        .visible_to(viewer)
        .select_related("town")
        .annotate(registered=Count("residents"))
        .order_by("code")
    )
    points = list(
        ServicePoint.objects.filter(
            kind__in=[ServicePoint.Kind.DISTRICT_HALL, ServicePoint.Kind.TOWN_STATION]
        ).values_list("pk", flat=True)
    )
    markets = list(MarketPlace.objects.filter(town__in=towns).select_related("town").order_by("code"))
    index = {v.pk: i for i, v in enumerate(villages)}
    column = {m.pk: j for j, m in enumerate(markets)}
    base = np.full(len(villages), np.inf)
    minutes = np.full((len(villages), len(markets)), np.inf)
    synthetic = False
    rows = TravelTime.objects.filter(village_id__in=index).filter(
        Q(service_point_id__in=points) | Q(market_place_id__in=column)
    )
    for village, point, market, value, source in rows.values_list(
        "village_id", "service_point_id", "market_place_id", "minutes", "source"
    ):
        synthetic |= source == TravelTime.Source.SYNTHETIC
        i = index[village]
        if point:
            base[i] = min(base[i], value)
        else:
            minutes[i, column[market]] = min(minutes[i, column[market]], value)
    town_index = {t: k for k, t in enumerate(sorted({m.town_id for m in markets}))}
    instance = Instance(
        population=np.array(
            [v.population if v.population is not None else v.registered for v in villages], dtype=np.int64
        ),
        base=base,
        minutes=minutes,
        towns=np.array([town_index[m.town_id] for m in markets], dtype=np.int64),
        budget=0,
    )
    return Area(villages, markets, instance, synthetic)


def figures(instance: Instance, chosen) -> Figures:
    """Population-weighted mean minutes to the nearest open place, and the shares within 30 and 60
    minutes (villages with no known route are left out of all three)."""
    d = distances(instance, chosen)
    known = np.isfinite(d)
    w = instance.population[known].astype(float)
    people = int(w.sum())
    if not people:
        return Figures(None, None, None, 0)
    d = d[known]
    return Figures(
        round(float(np.dot(w, d) / people), 1),
        round(float(100 * w[d <= 30].sum() / people), 1),
        round(float(100 * w[d <= 60].sum() / people), 1),
        people,
    )


def plan_runs(*, viewer: User) -> QuerySet[PlanRun]:
    """The viewer's own proposals, newest first."""
    return PlanRun.objects.filter(created_by=viewer).select_related("town")


def plan_run_get(*, viewer: User, run_id: int) -> PlanRun:
    """A proposal made within the viewer's bureau (they hold village figures, no personal data)."""
    run = PlanRun.objects.filter(pk=run_id, created_by__bureau_id=viewer.bureau_id).first()
    if run is None:
        raise NotFound(_("No such proposal."))
    return run


# 15分钟就业服务圈 ---------------------------------------------------------------------------------

JOB_SERVICE_MINUTES = 15
JOB_SERVICE_KINDS = (
    ServicePoint.Kind.GIG_MARKET,
    ServicePoint.Kind.GIG_STATION,
    ServicePoint.Kind.JOB_STATION,
)
MAX_NEW_STATIONS = 20


@dataclass(frozen=True)
class Site:
    """A place a new 零工驿站 could open: in a village, at a market place, or in a station or hall."""

    kind: str  # "village", "market" or "point"
    code: str
    name: str
    town: str
    town_id: int


@dataclass
class JobServiceArea:
    """The viewer's villages and their people; each village's minutes to the nearest job service
    open every day and to the nearest market place with the bureau's booth; the places a new 驿站
    could open and the minutes to them. Only ways of 15 minutes or less are kept (every other is
    inf): nothing farther counts."""

    villages: list[Village]
    population: np.ndarray  # (n,)
    every_day: np.ndarray  # (n,) minutes to a 零工市场, 零工驿站 or 家门口就业服务站
    market_day: np.ndarray  # (n,) minutes to a market place with a regular booth and market days
    sites: list[Site]
    site_minutes: np.ndarray  # (n, sites)
    synthetic: bool  # travel times made up for the demo

    @property
    def nearest(self) -> np.ndarray:
        """Minutes to the nearest job service, counting markets on their market days."""
        return np.minimum(self.every_day, self.market_day)


@dataclass(frozen=True)
class TownReach:
    code: str
    name: str
    villages: int
    people: int
    reached: int  # people within 15 minutes of a job service, markets on market days counted
    every_day: int  # people within 15 minutes of one open every day

    @property
    def share(self) -> float | None:
        return round(100 * self.reached / self.people, 1) if self.people else None

    @property
    def share_every_day(self) -> float | None:
        return round(100 * self.every_day / self.people, 1) if self.people else None


@dataclass
class JobServiceReach:
    towns: list[TownReach]
    total: TownReach
    places: dict[str, int]  # job-service places and market places with a booth in the towns, by kind
    synthetic: bool
    area: JobServiceArea


def _villages_and_people(viewer: User, towns: QuerySet) -> tuple[list[Village], np.ndarray]:
    """The viewer's villages of these towns, and their people: as entered for the village, else the
    registry's count (read only for the villages with none entered)."""
    villages = list(
        Village.objects.filter(town__in=towns).visible_to(viewer).select_related("town").order_by("code")
    )
    unset = [v.pk for v in villages if v.population is None]
    registered = (
        dict(
            Village.objects.filter(pk__in=unset)
            .annotate(n=Count("residents"))
            .values_list("pk", "n")
            .order_by()
        )
        if unset
        else {}
    )
    people = np.array(
        [v.population if v.population is not None else registered.get(v.pk, 0) for v in villages],
        dtype=np.int64,
    )
    return villages, people


def job_service_area(*, viewer: User, town_code: str | None = None) -> JobServiceArea:
    """The travel model of the 15-minute job-service circle for the viewer's towns (or one of them).

    A job service is a 零工市场, 零工驿站 or 家门口就业服务站 (any day), or a market place with the
    bureau's regular booth and known market days: on those days the booth takes workers' sign-ins
    and posts the day's gigs, and the villages' people come to market anyway. A place in another
    town counts as well: people cross town lines. New 驿站 may open in a village of the towns, at a
    market place or in a station or hall there; from another village, the way to a village is taken
    through a place both have a known way to (a way at least as long as the straight one, so a
    village is never counted reached when it is not)."""
    within = JOB_SERVICE_MINUTES
    towns = towns_for_viewer(viewer)
    if town_code:
        towns = towns.filter(code=town_code)
        if not towns.exists():
            raise DomainError(_("No such town among the towns you serve."), field="town", code="bad_town")
    villages, population = _villages_and_people(viewer, towns)
    index = {v.pk: i for i, v in enumerate(villages)}
    town_ids = {v.town_id for v in villages}
    n = len(villages)
    every_day = np.full(n, np.inf)
    market_day = np.full(n, np.inf)
    # every known way of 15 minutes or less from these villages: the place, what it is, where
    rows = (
        TravelTime.objects.filter(village_id__in=index, minutes__lte=within)
        .values_list(
            "village_id",
            "service_point_id",
            "service_point__kind",
            "service_point__town_id",
            "market_place_id",
            "market_place__town_id",
            "market_place__regular_booth",
            "market_place__cycle",
            "minutes",
            "source",
        )
        .order_by()
    )
    places: dict[tuple[str, int], int] = {}  # every place reached: its column in `via`
    ways: list[tuple[int, int, int]] = []  # (village row, place column, minutes)
    site_places: dict[tuple[str, int], int] = {}  # places in the towns where a 驿站 may open: town
    synthetic = False
    for village, point, kind, point_town, market, market_town, booth, cycle, minutes, source in rows:
        synthetic |= source == TravelTime.Source.SYNTHETIC
        i = index[village]
        key = ("point", point) if point else ("market", market)
        ways.append((i, places.setdefault(key, len(places)), minutes))
        if point:
            if kind in JOB_SERVICE_KINDS:
                every_day[i] = min(every_day[i], minutes)
            elif point_town in town_ids:
                site_places[key] = point_town
        else:
            if booth and cycle:
                market_day[i] = min(market_day[i], minutes)
            if market_town in town_ids:
                site_places[key] = market_town
    via = np.full((n, len(places)), np.inf)
    for i, j, minutes in ways:
        via[i, j] = min(via[i, j], minutes)
    between = villages_through_places(via, within)
    names = _place_names([key for key in site_places])
    sites = [Site("village", v.code, v.name, v.town.name, v.town_id) for v in villages]
    columns = [between]
    for key, town_id in sorted(site_places.items(), key=lambda item: names[item[0]][0]):
        code, name, town = names[key]
        sites.append(Site(key[0], code, name, town, town_id))
        columns.append(via[:, [places[key]]])
    site_minutes = np.hstack(columns) if n else np.zeros((0, len(sites)))
    return JobServiceArea(villages, population, every_day, market_day, sites, site_minutes, synthetic)


def villages_through_places(via: np.ndarray, within: float) -> np.ndarray:
    """Minutes from village to village (villages × villages) through the place that makes the way
    shortest, given each village's minutes to each place (`via`, inf where unknown); a village to
    itself 0; inf beyond `within`. Each place costs the square of the villages near it, not of all."""
    n = via.shape[0]
    between = np.full((n, n), np.inf)
    for j in range(via.shape[1]):
        near = np.flatnonzero(via[:, j] <= within)
        if len(near) > 1:
            block = via[near, j][:, None] + via[near, j][None, :]
            between[np.ix_(near, near)] = np.minimum(between[np.ix_(near, near)], block)
    np.fill_diagonal(between, 0)
    between[between > within] = np.inf
    return between


def _place_names(keys: list[tuple[str, int]]) -> dict[tuple[str, int], tuple[str, str, str]]:
    """(code, name, town) of each ("point", id) or ("market", id): two queries at most."""
    points = [pk for kind, pk in keys if kind == "point"]
    markets = [pk for kind, pk in keys if kind == "market"]
    names = {}
    if points:
        for pk, code, name, town in ServicePoint.objects.filter(pk__in=points).values_list(
            "pk", "code", "name", "town__name"
        ):
            names["point", pk] = (code, name, town or "")
    if markets:
        for pk, code, name, town in MarketPlace.objects.filter(pk__in=markets).values_list(
            "pk", "code", "name", "town__name"
        ):
            names["market", pk] = (code, name, town)
    return names


def job_service_reach(*, viewer: User, town_code: str | None = None) -> JobServiceReach:
    """The share of people within 15 minutes of a job service, town by town and for all the viewer's
    towns (or one of them): the one measure the planning page and the API read."""
    area = job_service_area(viewer=viewer, town_code=town_code)
    within = JOB_SERVICE_MINUTES
    reached = area.nearest <= within
    daily = area.every_day <= within
    by_town: dict[int, list[int]] = {}
    for i, village in enumerate(area.villages):
        by_town.setdefault(village.town_id, []).append(i)

    def reach(code: str, name: str, rows: list[int]) -> TownReach:
        w = area.population[rows]
        return TownReach(
            code=code,
            name=name,
            villages=len(rows),
            people=int(w.sum()),
            reached=int(w[reached[rows]].sum()),
            every_day=int(w[daily[rows]].sum()),
        )

    towns = []
    for rows in by_town.values():
        town = area.villages[rows[0]].town
        towns.append(reach(town.code, town.name, rows))
    towns.sort(key=lambda t: t.code)
    total = reach("", str(_("Total")), list(range(len(area.villages))))
    seen = {v.town_id for v in area.villages}
    places = dict(
        ServicePoint.objects.filter(town_id__in=seen, kind__in=JOB_SERVICE_KINDS)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    places["market"] = (
        MarketPlace.objects.filter(town_id__in=seen, regular_booth=True).exclude(cycle="").count()
    )
    return JobServiceReach(towns, total, places, area.synthetic, area)


@dataclass(frozen=True)
class ProposedSite:
    site: Site
    people: int  # newly within 15 minutes through this place
    villages: list[tuple[str, int]]  # (village, its people) newly within reach through it


@dataclass(frozen=True)
class StationProposal:
    count: int  # new 驿站 asked for
    sites: list[ProposedSite]  # those that bring someone within reach, most people first
    people: int  # in the towns
    reached_before: int
    reached_after: int
    best: bool  # proven the most any choice of `count` places can reach
    gap: float  # else how far from it at most, per cent
    method: str
    seconds: float
    synthetic: bool

    @property
    def newly(self) -> int:
        return self.reached_after - self.reached_before

    @property
    def share_before(self) -> float | None:
        return round(100 * self.reached_before / self.people, 1) if self.people else None

    @property
    def share_after(self) -> float | None:
        return round(100 * self.reached_after / self.people, 1) if self.people else None


def _without_the_unneeded(area: JobServiceArea, base: np.ndarray, chosen: list[int]) -> list[int]:
    """The chosen places less any whose people the others reach as well: a choice as good as the
    solver's, with no station that brings nobody new (the solver is indifferent to them)."""
    within = JOB_SERVICE_MINUTES
    w = area.population
    reach = area.site_minutes <= within

    def reached(places: list[int]) -> int:
        covered = base <= within
        if places:
            covered = covered | reach[:, places].any(axis=1)
        return int(w[covered].sum())

    keep = list(chosen)
    full = reached(keep)
    for j in sorted(chosen, key=lambda c: (int(w[reach[:, c]].sum()), c)):
        rest = [c for c in keep if c != j]
        if reached(rest) == full:
            keep = rest
    return keep


def job_station_proposal(
    *, viewer: User, count: int, town_code: str | None = None, area: JobServiceArea | None = None
) -> StationProposal:
    """Where `count` new 零工驿站 would bring the most people within 15 minutes of a job service (a
    maximal covering over the villages, the current job services and markets on market days as
    already open, every possible site a candidate), and who each one reaches."""
    if not 1 <= count <= MAX_NEW_STATIONS:
        raise DomainError(
            _("Ask for between 1 and %(most)d new gig stations.") % {"most": MAX_NEW_STATIONS}, field="count"
        )
    area = area or job_service_area(viewer=viewer, town_code=town_code)
    within = JOB_SERVICE_MINUTES
    base = area.nearest
    w = area.population
    town_index = {t: k for k, t in enumerate(sorted({s.town_id for s in area.sites}))}
    instance = Instance(
        population=w,
        base=base,
        minutes=area.site_minutes,
        towns=np.array([town_index[s.town_id] for s in area.sites], dtype=np.int64),
        budget=count,
    )
    before = int(w[base <= within].sum())
    if not len(area.sites) or not (w[base > within] > 0).any():
        chosen, best, gap, method, seconds = [], True, 0.0, "", 0.0
    else:
        if solver.exact_is_quick(instance, COVER, within):
            answer = solver.exact(instance, COVER, within, presolve=False)
        else:
            answer = solver.heuristic(instance, COVER, within)
        chosen, method, seconds = answer.chosen, answer.method, answer.seconds
        best, gap = answer.gap == 0, round(100 * answer.gap, 2)
    chosen = _without_the_unneeded(area, base, chosen)
    after_minutes = distances(instance, chosen)
    newly = np.flatnonzero((base > within) & (after_minutes <= within) & (w > 0))
    taken: dict[int, list[int]] = {}
    for i in newly:
        j = min(chosen, key=lambda c: (area.site_minutes[i, c], c))
        taken.setdefault(j, []).append(int(i))
    sites = sorted(
        (
            ProposedSite(
                area.sites[j],
                int(w[rows].sum()),
                sorted(((area.villages[i].name, int(w[i])) for i in rows), key=lambda v: -v[1]),
            )
            for j, rows in taken.items()
        ),
        key=lambda s: (-s.people, s.site.code),
    )
    return StationProposal(
        count=count,
        sites=sites,
        people=int(w.sum()),
        reached_before=before,
        reached_after=int(w[after_minutes <= within].sum()),
        best=best,
        gap=gap,
        method=method,
        seconds=seconds,
        synthetic=area.synthetic,
    )
