"""Reads of the catalogue: public, so nothing here is scoped to a viewer."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core import pinyin, versioned
from linju.core.errors import DomainError, NotFound
from linju.geo.hours import next_opening
from linju.geo.models import ServicePoint, Town, TravelTime, Village
from linju.geo.selectors import hall_of, station_of

from .models import Category, Delegation, Material, ServiceItem


def _in_force(on_date: datetime.date) -> Q:
    return Q(valid_from__lte=on_date) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on_date))


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("position", "code")


@dataclass(frozen=True)
class _SearchKeys:
    """What a query is matched against, worked out once when the catalogue is read."""

    name: pinyin.SearchKeys
    keywords: pinyin.SearchKeys
    text: str  # description and eligibility


@dataclass(frozen=True)
class _Catalogue:
    items: list[ServiceItem]  # with their category, in the catalogue's order
    by_code: dict[str, ServiceItem]
    keys: dict[int, _SearchKeys]
    delegations: dict[tuple[int, int], list[Delegation]]  # (item, town) -> in date order


CATALOGUE = "catalog.catalogue"


def _read_catalogue() -> _Catalogue:
    items = list(ServiceItem.objects.select_related("category").order_by("category__position", "code"))
    keys = {
        item.pk: _SearchKeys(
            name=pinyin.SearchKeys.of(item.name),
            keywords=pinyin.SearchKeys.of(item.keywords),
            text=item.description + item.eligibility,
        )
        for item in items
    }
    delegations: dict[tuple[int, int], list[Delegation]] = {}
    for delegation in Delegation.objects.order_by("valid_from", "id"):
        delegations.setdefault((delegation.item_id, delegation.town_id), []).append(delegation)
    return _Catalogue(items=items, by_code={i.code: i for i in items}, keys=keys, delegations=delegations)


def _catalogue() -> _Catalogue:
    """The items, their search keys and the delegations, as this process holds them (a few hundred
    items and a few thousand delegations; read again only after a change): no query. The objects are
    shared by every request of the process: read them, never change them."""
    return versioned.held(CATALOGUE, _read_catalogue)


def catalogue_changed() -> None:
    """Say that items, categories or delegations were written: every process reads them again."""
    versioned.changed(CATALOGUE)


def _score(query: str, keys: _SearchKeys) -> int:
    """How well an item answers a search: the name counts most, then the words people use."""
    needle = pinyin.needle(query)
    score = 0
    if pinyin.matches(needle, keys.name):
        score += 100 if query.strip() in keys.name.text else 60
    if keys.keywords.text and pinyin.matches(needle, keys.keywords):
        score += 20
    if query.strip() in keys.text:
        score += 5
    return score


def item_list(
    *, query: str = "", category_code: str | None = None, on_date: datetime.date | None = None
) -> list[ServiceItem]:
    """Items in force on the date (today by default); with a query, the matching ones, best first.

    A query matches Chinese words, pinyin initials (sybx) or whole pinyin (shiyebaoxian), against
    keys worked out once per process when the catalogue is read (`_catalogue`): no query, and no
    derived pinyin columns to keep in step.
    """
    on_date = on_date or timezone.localdate()
    catalogue = _catalogue()
    items = [
        item
        for item in catalogue.items
        if item.in_force_on(on_date) and (not category_code or item.category.code == category_code)
    ]
    if not pinyin.needle(query):
        return items
    scored = [(_score(query, catalogue.keys[item.pk]), position, item) for position, item in enumerate(items)]
    return [item for score, _position, item in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 0]


def item_by_code(*, code: str) -> ServiceItem:
    """Any item by its code, retired ones included, from the held catalogue (no query; without its
    materials, which `item_get` reads)."""
    item = _catalogue().by_code.get(code)
    if item is None:
        raise NotFound(_("No service item with code %(code)s."), params={"code": code})
    return item


def item_get(*, code: str) -> ServiceItem:
    """Any item, retired ones included (old cases still point at them)."""
    item = (
        ServiceItem.objects.select_related("category")
        .prefetch_related(Prefetch("materials", queryset=Material.objects.order_by("position", "id")))
        .filter(code=code)
        .first()
    )
    if item is None:
        raise NotFound(_("No service item with code %(code)s."), params={"code": code})
    return item


def delegation_overlapping(
    *,
    item: ServiceItem,
    town: Town,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    exclude_id: int | None = None,
) -> Delegation | None:
    """An existing delegation of the item to the town whose dates meet [valid_from, valid_to]."""
    clashes = Delegation.objects.filter(item=item, town=town).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        clashes = clashes.filter(valid_from__lte=valid_to)
    if exclude_id:
        clashes = clashes.exclude(pk=exclude_id)
    return clashes.select_related("town").first()


def delegation_in_force(*, item: ServiceItem, town: Town, on_date: datetime.date) -> Delegation | None:
    """The delegation of the item to the town on the date, from the held catalogue: no query."""
    for delegation in _catalogue().delegations.get((item.pk, town.pk), ()):
        if delegation.valid_from <= on_date and (
            delegation.valid_to is None or delegation.valid_to >= on_date
        ):
            return delegation
    return None


def delegated_items(*, town: Town, on_date: datetime.date | None = None) -> QuerySet[Delegation]:
    on_date = on_date or timezone.localdate()
    return (
        Delegation.objects.filter(
            _in_force(on_date), town=town, item__in=ServiceItem.objects.filter(_in_force(on_date))
        )
        .select_related("item__category")
        .order_by("item__category__position", "item__code")
    )


@dataclass(frozen=True)
class Finisher:
    """Who finishes an item for a resident of a town on a date: exactly one answer."""

    level: str  # "town" or "district"
    service_point: ServicePoint
    delegation: Delegation | None


def _district_hall(town: Town) -> ServicePoint:
    hall = hall_of(bureau_id=town.bureau_id)
    if hall is None:
        raise NotFound(
            _("The bureau of %(town)s has no service hall configured."), params={"town": town.name}
        )
    return hall


def _station(town: Town) -> ServicePoint | None:
    return station_of(town_id=town.pk)


def finisher_for(*, item: ServiceItem, town: Town, on_date: datetime.date) -> Finisher:
    delegation = delegation_in_force(item=item, town=town, on_date=on_date)
    station = _station(town)
    if delegation and delegation.mode == Delegation.Mode.FINISH and station:
        return Finisher(level="town", service_point=station, delegation=delegation)
    return Finisher(level="district", service_point=_district_hall(town), delegation=delegation)


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


BOOTH_HOURS = (datetime.time(8, 0), datetime.time(12, 0))
KIND_RANK = {"station": 0, "booth": 1, "hall": 2}
BOOTH_HORIZON_DAYS = 21


def _booth_places(
    *,
    item: ServiceItem,
    village: Village,
    mode: str,
    travel: dict[tuple[str, int], _Trip],
    after: datetime.datetime,
) -> list[Place]:
    """The next market-day booth at each market of the village's town that offers the item."""
    from linju.outreach.models import BoothSession

    booths = (
        BoothSession.objects.filter(
            market__town_id=village.town_id,
            status__in=[BoothSession.Status.PLANNED, BoothSession.Status.HELD],
            date__range=(after.date(), after.date() + datetime.timedelta(days=BOOTH_HORIZON_DAYS)),
            items=item,
        )
        .select_related("market")
        .order_by("date")
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
                phone="",
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


def village_get(*, code: str) -> Village:
    village = Village.objects.select_related("town__bureau").filter(code=code).first()
    if village is None:
        raise NotFound(_("No village with code %(code)s."), params={"code": code})
    return village


def places_to_apply(
    *,
    item: ServiceItem,
    village: Village,
    on_date: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> list[Place]:
    """Where a resident of the village can hand in a request for the item, nearest first.

    The town's station when a delegation is in force (finishing it, or accepting it for the
    district), and the bureau's hall, which always finishes. Ties: finishing before forwarding.
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
    station = _station(town)
    travel = _travel_from(village)
    if delegation and station:
        places.append(_place(station, kind="station", mode=delegation.mode, travel=travel, after=after))
    places.append(
        _place(_district_hall(town), kind="hall", mode=Delegation.Mode.FINISH, travel=travel, after=after)
    )
    if delegation:
        places.extend(
            _booth_places(item=item, village=village, mode=delegation.mode, travel=travel, after=after)
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
    from linju.outreach.selectors import BOOTHS

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
    from linju.geo.selectors import PLACES
    from linju.workdays.selectors import CALENDAR

    versions = ".".join(versioned.version(name) for name in (CATALOGUE, PLACES, CALENDAR, BOOTHS))
    key = f"linju:where:{item_code}:{village_code}:{on_date}:{now:%Y%m%d%H%M}:{versions}"
    return versioned.answer(key, seconds, build)
