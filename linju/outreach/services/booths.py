"""Booth days: the month's plan for every market day, and a booth day set by hand."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linju.access.scoping import cadres_serving, towns_for_viewer
from linju.accounts.models import User
from linju.catalog.models import Delegation, ServiceItem
from linju.core.errors import Conflict, DomainError, NotFound
from linju.geo.cycles import is_market_day, market_days, parse_cycle
from linju.geo.models import MarketPlace, TravelTime, Village

from ..models import BoothSession, StaffOutreach
from ..selectors import booths_changed
from .staff import _staff_only

DEFAULT_BOOTH_LIMIT = 8


def _items_for_booth(market: MarketPlace, day: datetime.date) -> list[ServiceItem]:
    """The items a booth day features (the forms its cadres bring, named in the day-before text):
    those delegated to the town. What the booth takes is wider: the rule of acceptance's
    (`linju.catalog.acceptance`), every item not kept for the hall."""
    in_force = Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    codes = Delegation.objects.filter(in_force, town=market.town).values("item")
    return list(ServiceItem.objects.filter(pk__in=codes).filter(in_force))


def _limit(user: User) -> int:
    settings = StaffOutreach.objects.filter(user=user).first()
    return settings.booth_days_per_month if settings else DEFAULT_BOOTH_LIMIT


@dataclass
class PlanResult:
    created: list[BoothSession] = field(default_factory=list)
    existing: int = 0
    conflicts: list[tuple[MarketPlace, datetime.date | None, str]] = field(default_factory=list)
    # the markets left without some of their days because every cadre had reached their limit, and
    # the residents who lose most by it (village, people, minutes more to the next place)
    losses: list[MarketLoss] = field(default_factory=list)


@dataclass
class VillageLoss:
    village: Village
    population: int
    extra_minutes: int


@dataclass
class MarketLoss:
    market: MarketPlace
    days: int
    villages: list[VillageLoss]


def _what_each_market_spares(*, town, markets: list[MarketPlace]) -> dict[int, list[VillageLoss]]:
    """For each market, the villages for which it is the nearest place to hand in a request, and the
    minutes more each would walk or ride to the next nearest (another market, the station, the hall)
    were its booth not there. From the travel model; two queries a town."""
    villages = {v.pk: v for v in Village.objects.filter(town=town)}
    options: dict[int, dict[tuple[str, int], int]] = defaultdict(dict)
    market_ids = {m.pk for m in markets}
    for village_id, point_id, market_id, minutes in TravelTime.objects.filter(village__town=town).values_list(
        "village_id", "service_point_id", "market_place_id", "minutes"
    ):
        if market_id is not None and market_id not in market_ids:
            continue
        options[village_id][("market", market_id) if market_id else ("point", point_id)] = minutes
    spared: dict[int, list[VillageLoss]] = {m.pk: [] for m in markets}
    for village_id, reach in options.items():
        nearest = min(reach, key=reach.get)
        if nearest[0] != "market" or len(reach) < 2:
            continue
        others = min(minutes for place, minutes in reach.items() if place != nearest)
        village = villages[village_id]
        spared[nearest[1]].append(
            VillageLoss(
                village=village, population=village.population or 0, extra_minutes=others - reach[nearest]
            )
        )
    for losses in spared.values():
        losses.sort(key=lambda v: (-v.population * v.extra_minutes, v.village.code))
    return spared


def _most_needed_first(markets: list[MarketPlace], spared: dict[int, list[VillageLoss]]) -> list[MarketPlace]:
    """The markets whose booths spare their people the most travel first; at equal travel, a 片场
    before a town seat's market."""

    def need(market: MarketPlace) -> tuple:
        saved = sum(v.population * v.extra_minutes for v in spared[market.pk])
        return (-saved, market.kind != MarketPlace.Kind.SATELLITE, market.code)

    return sorted(markets, key=need)


@transaction.atomic(durable=True)
def booth_plan_generate(*, actor: User, month: datetime.date) -> PlanResult:
    """Booth days for every market day of the month in the viewer's towns that plan booths.

    Each market day gets one cadre of the town: the least booked who is free that day and under
    their monthly limit. A day nobody can take is listed as a conflict, never dropped silently.

    When the cadres' limits cannot cover every market day, the markets whose people have another
    place nearby (the town seat's market, beside the station) give way first: markets are served in
    the order of the travel they spare their villages (people × minutes to the next nearest place),
    the far 片场 before the town seat, and the plan says which residents lose most by what is left.
    """

    _staff_only(actor)
    first = month.replace(day=1)
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    result = PlanResult()
    towns = towns_for_viewer(actor).filter(outreach__plans_booths=True).order_by("code")
    for town in towns:
        cadres = list(cadres_serving(town=town))
        booked: dict[int, set[datetime.date]] = defaultdict(set)
        for user_id, day in (
            BoothSession.objects.filter(staff__in=cadres, date__range=(first, last))
            .exclude(status=BoothSession.Status.CANCELLED)
            .values_list("staff", "date")
        ):
            booked[user_id].add(day)
        limits = {c.pk: _limit(c) for c in cadres}
        markets = []
        for market in MarketPlace.objects.filter(town=town, regular_booth=True).order_by("code"):
            if not market.cycle:
                result.conflicts.append((market, None, str(_("no market cycle set"))))
            else:
                markets.append(market)
        spared = _what_each_market_spares(town=town, markets=markets)
        for market in _most_needed_first(markets, spared):
            dropped = 0
            for day in market_days(parse_cycle(market.cycle), first, last):
                if BoothSession.objects.filter(market=market, date=day).exists():
                    result.existing += 1
                    continue
                free = [c for c in cadres if day not in booked[c.pk] and len(booked[c.pk]) < limits[c.pk]]
                if not free:
                    at_limit = bool(cadres) and not all(len(booked[c.pk]) < limits[c.pk] for c in cadres)
                    reason = (
                        _("every cadre of the town has reached their booth days this month")
                        if at_limit
                        else _("no cadre of the town is free that day")
                        if cadres
                        else _("the town has no cadre")
                    )
                    result.conflicts.append((market, day, str(reason)))
                    dropped += at_limit
                    continue
                cadre = min(free, key=lambda c: (len(booked[c.pk]), c.username))
                booth = BoothSession.objects.create(market=market, date=day)
                booth.staff.set([cadre])
                booth.items.set(_items_for_booth(market, day))
                booked[cadre.pk].add(day)
                result.created.append(booth)
            if dropped:
                result.losses.append(MarketLoss(market=market, days=dropped, villages=spared[market.pk][:3]))
    return result


@transaction.atomic(durable=True)
def booth_session_create(
    *,
    actor: User,
    market_code: str,
    day: datetime.date,
    staff_ids: list[int],
    item_codes: list[str] | None = None,
) -> BoothSession:
    """One booth day by hand: on a market day, with staff of the town who are free that day."""
    _staff_only(actor)
    market = MarketPlace.objects.select_related("town").visible_to(actor).filter(code=market_code).first()
    if market is None:
        raise NotFound(_("No such market place among the towns you serve."), field="market_code")
    if market.cycle and not is_market_day(parse_cycle(market.cycle), day):
        raise DomainError(
            _("%(date)s is not a market day at %(market)s (%(cycle)s)."),
            params={"date": day.isoformat(), "market": market.name, "cycle": market.cycle},
            field="date",
            code="not_a_market_day",
        )
    staff = list(User.objects.filter(pk__in=staff_ids, is_active=True))
    if not staff or len(staff) != len(set(staff_ids)):
        raise DomainError(_("Choose who is on duty."), field="staff_ids")
    for member in staff:
        if not towns_for_viewer(member).filter(pk=market.town_id).exists():
            raise DomainError(
                _("%(name)s does not serve %(town)s."),
                params={"name": str(member), "town": market.town.name},
                field="staff_ids",
            )
    busy = (
        BoothSession.objects.filter(date=day, staff__in=staff)
        .exclude(status=BoothSession.Status.CANCELLED)
        .select_related("market")
        .first()
    )
    if busy:
        raise Conflict(
            _("Someone on duty is already at %(market)s that day."),
            params={"market": busy.market.name},
            code="double_booked",
        )
    try:
        with transaction.atomic():
            booth = BoothSession.objects.create(market=market, date=day)
    except IntegrityError:
        raise Conflict(_("There is already a booth at this market that day."), code="booth_exists") from None
    booth.staff.set(staff)
    items = ServiceItem.objects.filter(code__in=item_codes) if item_codes else _items_for_booth(market, day)
    booth.items.set(items)
    booths_changed()
    return booth
