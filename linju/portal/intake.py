"""Step 1 of taking a case: for the place chosen, which items are finished here, which are
accepted and forwarded to the district the same day, the promised date of each, and which cannot be
taken here at all, with where the person can go instead, nearest first. Said before anything about
the person is typed; the page and the API read the same answer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import can
from linju.access.scoping import served_town_ids
from linju.catalog.acceptance import PlaceKind, Verdict, promised_days, verdict
from linju.catalog.models import Channel, ServiceItem
from linju.catalog.selectors import counters_for_viewer, district_hall_of, item_list, station_for
from linju.core.errors import DomainError, NotFound
from linju.geo.models import MarketPlace, ServicePoint, Town, Village
from linju.geo.selectors import market_place_by_code, service_point_by_code
from linju.workdays.selectors import add_working_days

from .where import Place, places_to_apply

FINISH_HERE = "finish_here"
FORWARD = "forward"
HALL_ONLY = "hall_only"
NOT_THIS_CHANNEL = "not_this_channel"
REFUSED = (HALL_ONLY, NOT_THIS_CHANNEL)


@dataclass(frozen=True)
class Spot:
    """The place a case is taken: a service point (station or hall), a market booth, a village home."""

    kind: str  # "point", "market", "village"
    code: str
    name: str
    town: Town
    is_hall: bool
    village: Village  # whose travel times say what is nearest


@dataclass(frozen=True)
class Option:
    item: ServiceItem
    mode: str  # finish_here, forward, hall_only, not_this_channel
    finisher: str
    promised_date: datetime.date | None
    estimated: bool
    reason: str = ""
    instead: list[Place] = field(default_factory=list)
    days: int = 0  # the working days promised as the place takes it (promised_days); 0: on the spot

    @property
    def refused(self) -> bool:
        return self.mode in REFUSED


@dataclass(frozen=True)
class IntakePlace:
    """A place the viewer may take a case at, as a form's choice: "point:…", "market:…", "village:…"."""

    value: str
    name: str
    channel: str  # the channel a case taken there comes by
    group: str  # "point", "market", "village"
    town: str = ""  # the code of the place's town (none for a hall)


def intake_places(*, viewer, with_halls: bool = True) -> list[IntakePlace]:
    """The places the viewer serves (the bureau's halls for district staff), stations first: the one
    list the intake page and the field app offer. One query per kind of place."""
    points = counters_for_viewer(viewer=viewer, with_halls=with_halls)
    markets = MarketPlace.objects.select_related("town").visible_to(viewer)
    villages = Village.objects.select_related("town").visible_to(viewer)
    return (
        [
            IntakePlace(f"point:{p.code}", p.name, Channel.COUNTER, "point", "" if is_hall else p.town.code)
            for p in points
            for is_hall in [p.kind == ServicePoint.Kind.DISTRICT_HALL]
        ]
        + [
            IntakePlace(f"market:{m.code}", f"{m.town.name} · {m.name}", Channel.BOOTH, "market", m.town.code)
            for m in markets.order_by("code")
        ]
        + [
            IntakePlace(
                f"village:{v.code}", f"{v.town.name} · {v.name}", Channel.HOME_VISIT, "village", v.town.code
            )
            for v in villages.order_by("code")
        ]
    )


def spot_for(*, viewer, place: str) -> Spot:
    """The place from its form value ("point:…", "market:…", "village:…"), within the viewer's towns."""
    kind, _sep, code = str(place)[:40].partition(":")
    found: ServicePoint | MarketPlace | Village | None = None
    if kind == "point":
        found = service_point_by_code(code=code)
    elif kind == "market":
        found = market_place_by_code(code=code)
    elif kind == "village":
        found = Village.objects.select_related("town").filter(code=code).first()
    if found is None:
        raise NotFound(_("Choose a place from the list."), field="place")
    is_hall = kind == "point" and found.kind == ServicePoint.Kind.DISTRICT_HALL
    if is_hall:
        if not can(viewer, "hall.work") or found.bureau_id != viewer.bureau_id:
            raise NotFound(_("Choose a place from the list."), field="place")
        town = Town.objects.filter(bureau_id=viewer.bureau_id).order_by("code").first()
    else:
        town = found.town
        if town.pk not in served_town_ids(viewer):
            raise NotFound(_("Choose a place from the list."), field="place")
    village = found if kind == "village" else town.villages.order_by("code").first()
    return Spot(kind, code, found.name, town, is_hall, village)


SAID = {
    Verdict.FINISH: FINISH_HERE,
    Verdict.FORWARD: FORWARD,
    Verdict.HALL_ONLY: HALL_ONLY,
    Verdict.NOT_THIS_CHANNEL: NOT_THIS_CHANNEL,
}


def place_kind(spot: Spot) -> PlaceKind:
    """The kind of place a spot is, as the one rule of acceptance names it."""
    if spot.kind == "point":
        return PlaceKind.HALL if spot.is_hall else PlaceKind.STATION
    return PlaceKind.BOOTH if spot.kind == "market" else PlaceKind.VILLAGE


def _option(item: ServiceItem, spot: Spot, channel: str, today: datetime.date) -> Option:
    ruled = verdict(item=item, kind=place_kind(spot), town=spot.town, on_date=today, channel=channel)
    said = SAID[ruled]
    hall = district_hall_of(spot.town)
    if said == HALL_ONLY:
        return Option(item, said, hall.name, None, False, item.hall_only_reason)
    if said == NOT_THIS_CHANNEL:
        return Option(item, said, hall.name, None, False, "")
    days = promised_days(item, ruled)
    deadline = add_working_days(today, days)
    if said == FINISH_HERE and not spot.is_hall:
        station = station_for(spot.town)
        return Option(
            item,
            said,
            station.name if station else spot.town.name,
            deadline.date,
            deadline.estimated,
            days=days,
        )
    return Option(item, said, hall.name, deadline.date, deadline.estimated, days=days)


def intake_options(
    *, viewer, place: str, channel: str, on_date: datetime.date | None = None
) -> tuple[Spot, list[Option]]:
    """Every item in force, as it stands at the place: held tables, no query per item."""
    spot = spot_for(viewer=viewer, place=place)
    today = on_date or timezone.localdate()
    items = [item for item in item_list() if item.in_force_on(today)]
    return spot, [_option(item, spot, channel, today) for item in items]


def intake_option(*, viewer, place: str, channel: str, item_code: str) -> Option:
    """One item at the place; a refusal comes with where to go instead, nearest first."""
    spot = spot_for(viewer=viewer, place=place)
    today = timezone.localdate()
    item = next((i for i in item_list() if i.code == item_code), None)
    if item is None or not item.in_force_on(today):
        raise NotFound(_("Choose an item from the list."), field="item")
    option = _option(item, spot, channel, today)
    if option.refused:
        instead = [p for p in places_to_apply(item=item, village=spot.village) if p.kind == "hall"]
        if option.mode == NOT_THIS_CHANNEL:
            instead = places_to_apply(item=item, village=spot.village)
        option = Option(item, option.mode, option.finisher, None, False, option.reason, instead)
    return option


def refusal(option: Option) -> DomainError:
    """The refusal of an item at a place, in plain words, naming where to go instead."""
    where = "、".join(p.name for p in option.instead) or option.finisher
    if option.mode == HALL_ONLY:
        return DomainError(
            _("“%(item)s” is taken only at the district service hall: %(reason)s Go to: %(where)s."),
            params={"item": option.item.name, "reason": option.item.hall_only_reason, "where": where},
            code="hall_only",
            field="item",
        )
    return DomainError(
        _("“%(item)s” cannot be taken this way; it needs the person or their papers. Go to: %(where)s."),
        params={"item": option.item.name, "where": where},
        code="not_this_channel",
        field="item",
    )
