"""Where a resident can hand in a request, nearest first: the town's station and the bureau's hall
(from the catalogue's delegations and the places) and the market-day booths (from outreach). The
one place that combines them, for the item page, the town card and the API's `/where`."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.catalog.models import Delegation, ServiceItem
from linju.catalog.selectors import (
    CATALOGUE,
    delegation_in_force,
    district_hall_of,
    item_by_code,
    station_for,
    village_get,
)
from linju.core import versioned
from linju.core.errors import DomainError
from linju.geo.hours import next_opening
from linju.geo.models import ServicePoint, TravelTime, Village
from linju.geo.selectors import PLACES
from linju.outreach.models import BOOTH_HOURS
from linju.outreach.selectors import BOOTHS, booths_offering
from linju.workdays.selectors import CALENDAR


@dataclass(frozen=True)
class Place:
    kind: str  # "station", "hall" (and "booth" once market days exist)
    code: str
    name: str
    address: str
    phone: str
    opening_hours: str
    mode: str  # "finish" or "accept_forward"
    minutes: int | None
    travel_mode: str
    next_open: datetime.datetime | None
    open_now: bool
    estimated: bool


class _Trip(NamedTuple):
    minutes: int
    mode: str


def _travel_from(village: Village) -> dict[tuple[str, int], _Trip]:
    """Every travel time from the village, by ("point", id) or ("market", id): one query."""
    rows = TravelTime.objects.filter(village=village).values_list(
        "service_point_id", "market_place_id", "minutes", "mode"
    )
    return {
        ("point", point) if point else ("market", market): _Trip(minutes, mode)
        for point, market, minutes, mode in rows
    }


def _place(
    point: ServicePoint,
    *,
    kind: str,
    mode: str,
    travel: dict[tuple[str, int], _Trip],
    after: datetime.datetime,
) -> Place:
    travel = travel.get(("point", point.pk))
    opening = next_opening(point.working_day_hours, after=after)
    return Place(
        kind=kind,
        code=point.code,
        name=point.name,
        address=point.address,
        phone=point.phone,
        opening_hours=point.opening_hours,
        mode=mode,
        minutes=travel.minutes if travel else None,
        travel_mode=travel.mode if travel else "",
        next_open=opening.start if opening else None,
        open_now=bool(opening and opening.open_now),
        estimated=bool(opening and opening.estimated),
    )


KIND_RANK = {"station": 0, "booth": 1, "hall": 2}
BOOTH_HORIZON_DAYS = 21


def _booth_places(
    *,
    item: ServiceItem,
    village: Village,
    mode: str,
    travel: dict[tuple[str, int], _Trip],
    after: datetime.datetime,
    phone: str,
) -> list[Place]:
    """The next market-day booth at each market of the village's town that offers the item; its
    phone is the station's, whose cadres staff it."""
    booths = booths_offering(
        item=item,
        town_id=village.town_id,
        first=after.date(),
        last=after.date() + datetime.timedelta(days=BOOTH_HORIZON_DAYS),
    )
    places, seen = [], set()
    for booth in booths:
        start = datetime.datetime.combine(booth.date, BOOTH_HOURS[0], tzinfo=after.tzinfo)
        end = datetime.datetime.combine(booth.date, BOOTH_HOURS[1], tzinfo=after.tzinfo)
        if booth.market_id in seen or end <= after:
            continue
        seen.add(booth.market_id)
        minutes = travel.get(("market", booth.market_id))
        places.append(
            Place(
                kind="booth",
                code=booth.market.code,
                name=str(_("%(market)s market-day booth") % {"market": booth.market.name}),
                address=booth.market.name,
                phone=phone,
                opening_hours=str(_("market days 8:00–12:00")),
                mode=mode,
                minutes=minutes.minutes if minutes else None,
                travel_mode=minutes.mode if minutes else "",
                next_open=start,
                open_now=start <= after < end,
                estimated=False,
            )
        )
    return places


def places_to_apply(
    *,
    item: ServiceItem,
    village: Village,
    on_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[Place]:
    """Where a resident of the village can hand in a request for the item, nearest first.

    The town's station and its market-day booths, which accept every item not kept for the hall
    (finishing it where a delegation says so, otherwise forwarding it to the district the same day),
    and the bureau's hall, which always finishes. Ties: finishing before forwarding.
    """
    now = timezone.localtime(now or timezone.now())
    on_date = on_date or now.date()
    if not item.in_force_on(on_date):
        raise DomainError(
            _("%(item)s is not offered on %(date)s."),
            params={"item": item.name, "date": on_date.isoformat()},
            code="item_not_in_force",
        )
    after = (
        now
        if on_date <= now.date()
        else datetime.datetime.combine(on_date, datetime.time.min, tzinfo=now.tzinfo)
    )
    town = village.town
    places = []
    delegation = delegation_in_force(item=item, town=town, on_date=on_date)
    station = station_for(town)
    travel = _travel_from(village)
    # every station and booth accepts what is not kept for the hall; the delegation says who finishes
    mode = delegation.mode if delegation else Delegation.Mode.ACCEPT_FORWARD
    if station and not item.hall_only:
        places.append(_place(station, kind="station", mode=mode, travel=travel, after=after))
    places.append(
        _place(district_hall_of(town), kind="hall", mode=Delegation.Mode.FINISH, travel=travel, after=after)
    )
    if not item.hall_only:
        places.extend(
            _booth_places(
                item=item,
                village=village,
                mode=mode,
                travel=travel,
                after=after,
                phone=station.phone if station else "",
            )
        )
    # Nearest first; at the same distance, what is open now, then what opens sooner, then an office
    # before a booth, then one that finishes the item.
    never = datetime.datetime.max.replace(tzinfo=after.tzinfo)
    return sorted(
        places,
        key=lambda p: (
            p.minutes if p.minutes is not None else 10**6,
            not p.open_now,
            after if p.open_now else (p.next_open or never),
            KIND_RANK[p.kind],
            p.mode != Delegation.Mode.FINISH,
        ),
    )


def where_answer(*, item_code: str, village_code: str, on_date: datetime.date | None = None) -> dict:
    """The public answer to "where can a resident of this village do this item": the item, the
    village and its places nearest first, as plain data.

    Kept (`versioned.answer`: in the process, then the shared cache, for LINJU_ANSWER_CACHE_SECONDS)
    under a key that names everything it was built from: the versions of the catalogue, the places,
    the calendar and the booth plan, and the minute (what is open now). A change is seen at once
    (within the second the versions are looked at); a repeat costs a look-up, not three queries and
    the ranking. Keys must be bounded: the item and village codes are looked up before anything is
    kept, so a made-up code is refused (404), never stored."""
    now = timezone.localtime()
    on_date = on_date or now.date()

    def build() -> dict:
        item = item_by_code(code=item_code)
        home = village_get(code=village_code)
        places = places_to_apply(item=item, village=home, on_date=on_date, now=now)
        return {
            "item": item.code,
            "village": home.code,
            "town": home.town.name,
            "date": on_date,
            "places": [asdict(place) for place in places],
        }

    seconds = settings.LINJU_ANSWER_CACHE_SECONDS
    if not seconds:
        return build()
    versions = ".".join(versioned.version(name) for name in (CATALOGUE, PLACES, CALENDAR, BOOTHS))
    key = f"linju:where:{item_code}:{village_code}:{on_date}:{now:%Y%m%d%H%M}:{versions}"
    return versioned.answer(key, seconds, build)
