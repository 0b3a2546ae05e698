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

from .models import PlanRun
from .solver import Instance, distances

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
