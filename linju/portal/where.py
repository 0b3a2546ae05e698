"""Where a resident can hand in a request, nearest first: the town's station and the bureau's hall
(from the catalogue's delegations and the places) and the market-day booths (from outreach). The
one place that combines them, for the item page, the town card and the API's `/where`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.catalog.acceptance import ACCEPTED, PlaceKind, Verdict, bundle_verdict, verdict
from linju.catalog.bundles import BUNDLES, HeldBundle, bundle_get
from linju.catalog.models import Delegation, ServiceItem
from linju.catalog.selectors import (
    CATALOGUE,
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
from linju.outreach.selectors import BOOTHS, booths_coming
from linju.workdays.selectors import CALENDAR


@dataclass(frozen=True)
class Place:
    kind: str  # "station", "booth" or "hall"
    code: str
    name: str
    address: str
    phone: str
    opening_hours: str
    mode: str  # "finish" or "accept_forward"
    says: str  # the mode in plain words: "finished here", "accepted here, sent to the district …"
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
    said: Verdict,
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
        mode=MODE[said],
        says=str(said.label),
        minutes=travel.minutes if travel else None,
        travel_mode=travel.mode if travel else "",
        next_open=opening.start if opening else None,
        open_now=bool(opening and opening.open_now),
        estimated=bool(opening and opening.estimated),
    )


KIND_RANK = {"station": 0, "booth": 1, "hall": 2}
# what the API and the pages have always called the modes of the rule's two ways of taking an item
MODE = {Verdict.FINISH: Delegation.Mode.FINISH.value, Verdict.FORWARD: Delegation.Mode.ACCEPT_FORWARD.value}
BOOTH_HORIZON_DAYS = 21


# what a place of a kind does on a day with what is asked for (an item, a bundle): None, not offered
Judge = Callable[[str, datetime.date], Verdict | None]


def _booth_places(
    *,
    judge: Judge,
    village: Village,
    travel: dict[tuple[str, int], _Trip],
    after: datetime.datetime,
    phone: str,
) -> list[Place]:
    """The next market-day booth at each market of the village's town, when the booth takes the
    item that day (the rule of acceptance, as at the station: every item not kept for the hall); its
    phone is the station's, whose cadres staff it."""
    booths = booths_coming(
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
        said = judge(PlaceKind.BOOTH, booth.date)
        if said not in ACCEPTED:
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
                mode=MODE[said],
                says=str(said.label),
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
    and the bureau's hall, which always finishes: what the intake does, by the same rule
    (`linju.catalog.acceptance.verdict`). Ties: finishing before forwarding.
    """
    now = timezone.localtime(now or timezone.now())
    on_date = on_date or now.date()
    if not item.in_force_on(on_date):
        raise DomainError(
            _("%(item)s is not offered on %(date)s."),
            params={"item": item.name, "date": on_date.isoformat()},
            code="item_not_in_force",
        )
    town = village.town

    def judge(kind: str, day: datetime.date) -> Verdict:
        return verdict(item=item, kind=kind, town=town, on_date=day)

    return _places(judge=judge, village=village, on_date=on_date, now=now)


def bundle_places_to_apply(
    *,
    bundle: HeldBundle,
    village: Village,
    on_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[Place]:
    """Where a resident of the village can hand in a bundle (一件事), nearest first: the places that
    take its lead part, by the same rule (`linju.catalog.acceptance.bundle_verdict`). A bundle is its
    bureau's: a village of another bureau is told so."""
    now = timezone.localtime(now or timezone.now())
    on_date = on_date or now.date()
    town = village.town
    if bundle.bundle.bureau_id != town.bureau_id:
        raise DomainError(
            _("%(bundle)s is offered by %(bureau)s, not in %(town)s."),
            params={"bundle": bundle.bundle.name, "bureau": bundle.bundle.bureau.name, "town": town.name},
            code="bundle_of_another_bureau",
        )
    if bundle_verdict(bundle=bundle, kind=PlaceKind.HALL, town=town, on_date=on_date) is None:
        raise DomainError(
            _("%(item)s is not offered on %(date)s."),
            params={"item": bundle.bundle.name, "date": on_date.isoformat()},
            code="item_not_in_force",
        )

    def judge(kind: str, day: datetime.date) -> Verdict | None:
        return bundle_verdict(bundle=bundle, kind=kind, town=town, on_date=day)

    return _places(judge=judge, village=village, on_date=on_date, now=now)


def _places(*, judge: Judge, village: Village, on_date: datetime.date, now: datetime.datetime) -> list[Place]:
    after = (
        now
        if on_date <= now.date()
        else datetime.datetime.combine(on_date, datetime.time.min, tzinfo=now.tzinfo)
    )
    town = village.town
    station = station_for(town)
    travel = _travel_from(village)
    places = []
    # the one rule of acceptance: every station and booth takes what is not kept for the hall, and
    # finishes it where a delegation says so; the hall finishes everything
    offices = [(station, "station", PlaceKind.STATION), (district_hall_of(town), "hall", PlaceKind.HALL)]
    for point, kind, place_kind in offices:
        said = point and judge(place_kind, on_date)
        if said in ACCEPTED:
            places.append(_place(point, kind=kind, said=said, travel=travel, after=after))
    places.extend(
        _booth_places(
            judge=judge, village=village, travel=travel, after=after, phone=station.phone if station else ""
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
    language = translation.get_language() or settings.LANGUAGE_CODE  # the names and words are said in it
    key = f"linju:where:v2:{language}:{item_code}:{village_code}:{on_date}:{now:%Y%m%d%H%M}:{versions}"
    return versioned.answer(key, seconds, build)


def bundle_where_answer(*, bundle_code: str, village_code: str, on_date: datetime.date | None = None) -> dict:
    """The public answer to "where can a resident of this village hand in this bundle": as
    `where_answer`, with the bundle's code and its lead item's (the places are those that take the
    lead part). Kept as `where_answer` is, under the bundles' version too."""
    now = timezone.localtime()
    on_date = on_date or now.date()

    def build() -> dict:
        offered = bundle_get(code=bundle_code, on_date=on_date)
        home = village_get(code=village_code)
        places = bundle_places_to_apply(bundle=offered.entry, village=home, on_date=on_date, now=now)
        return {
            "bundle": offered.code,
            "item": offered.held.lead.item.code,
            "village": home.code,
            "town": home.town.name,
            "date": on_date,
            "places": [asdict(place) for place in places],
        }

    seconds = settings.LINJU_ANSWER_CACHE_SECONDS
    if not seconds:
        return build()
    versions = ".".join(versioned.version(name) for name in (CATALOGUE, BUNDLES, PLACES, CALENDAR, BOOTHS))
    language = translation.get_language() or settings.LANGUAGE_CODE
    key = (
        f"linju:where-bundle:v1:{language}:{bundle_code}:{village_code}:{on_date}:{now:%Y%m%d%H%M}:{versions}"
    )
    return versioned.answer(key, seconds, build)
