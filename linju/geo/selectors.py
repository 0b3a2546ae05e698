"""Public reads of the geography: nothing here is personal data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from linju.core import versioned
from linju.core.errors import NotFound

from .models import Bureau, MarketPlace, ServicePoint, Town, Village


def town_directory() -> QuerySet[Town]:
    """All towns with their station and number of villages, in code order."""
    stations = ServicePoint.objects.filter(kind=ServicePoint.Kind.TOWN_STATION)
    return (
        Town.objects.select_related("bureau")
        .annotate(village_count=Count("villages"))
        .prefetch_related(Prefetch("service_points", queryset=stations, to_attr="stations"))
        .order_by("code")
    )


def bureau_halls() -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(kind=ServicePoint.Kind.DISTRICT_HALL).select_related("bureau")


def bureau_list() -> QuerySet[Bureau]:
    return Bureau.objects.order_by("id")


# The village a resident chose on a public page, remembered for a year so that the next page
# answers for it (the item's "where", the home page's shortcut to the village's booths).
VILLAGE_COOKIE = "linju_village"
VILLAGE_COOKIE_AGE = 365 * 24 * 3600


def remembered_village(request) -> Village | None:
    """The village kept in the resident's cookie, if it is one."""
    code = request.COOKIES.get(VILLAGE_COOKIE, "")[:12]
    if not code:
        return None
    return Village.objects.select_related("town").filter(code=code).first()


def village_list_for_town(*, town_code: str) -> QuerySet[Village]:
    if not Town.objects.filter(code=town_code).exists():
        raise NotFound(_("No town with code %(code)s."), params={"code": town_code})
    return Village.objects.filter(town__code=town_code).order_by("code")


def town_get(*, code: str) -> Town:
    """A town with its station and village count, as on the public directory."""
    town = town_directory().filter(code=code).first()
    if town is None:
        raise NotFound(_("No town with code %(code)s."), params={"code": code})
    return town


@dataclass(frozen=True)
class _Points:
    stations: dict[int, ServicePoint]  # town id -> its station
    halls: dict[int, ServicePoint]  # bureau id -> its hall
    by_code: dict[str, ServicePoint]  # with its town
    markets: dict[str, MarketPlace]  # by code, with its town
    bureaus: dict[int, Bureau]  # by id
    towns: dict[int, Town]  # by id
    villages: dict[str, Village]  # by code, with its (held) town


PLACES = "geo.places"


def _read_points() -> _Points:
    stations: dict[int, ServicePoint] = {}
    halls: dict[int, ServicePoint] = {}
    points = list(ServicePoint.objects.select_related("town").order_by("id"))
    for point in points:
        if point.kind == ServicePoint.Kind.TOWN_STATION and point.town_id:
            stations.setdefault(point.town_id, point)
        elif point.kind == ServicePoint.Kind.DISTRICT_HALL:
            halls.setdefault(point.bureau_id, point)
    markets = {m.code: m for m in MarketPlace.objects.select_related("town")}
    bureaus = {b.pk: b for b in Bureau.objects.all()}
    towns = {t.pk: t for t in Town.objects.all()}
    for town in towns.values():  # a town's bureau is the held one: no query when a page names it
        town.bureau = bureaus[town.bureau_id]
    villages = {v.code: v for v in Village.objects.all()}
    for village in villages.values():
        village.town = towns[village.town_id]
    return _Points(
        stations=stations,
        halls=halls,
        by_code={p.code: p for p in points},
        markets=markets,
        bureaus=bureaus,
        towns=towns,
        villages=villages,
    )


def places_changed() -> None:
    """Say that bureaus, towns, villages, service points or market places were created, moved or removed: every
    process reads them again. (A market's cycle or booth is not held: only its code, id and town are used.)"""
    versioned.changed(PLACES)


def station_of(*, town_id: int) -> ServicePoint | None:
    """The town's station, from the service points each process holds (a few dozen; no query)."""
    return versioned.held(PLACES, _read_points).stations.get(town_id)


def hall_of(*, bureau_id: int) -> ServicePoint | None:
    """The bureau's service hall, from the held service points (no query)."""
    return versioned.held(PLACES, _read_points).halls.get(bureau_id)


def bureau_by_id(*, bureau_id: int) -> Bureau:
    """A bureau, from the held places (no query); one made in another process in the last second,
    before its version is seen here, is read from the database."""
    return versioned.held(PLACES, _read_points).bureaus.get(bureau_id) or Bureau.objects.get(pk=bureau_id)


def town_by_id(*, town_id: int) -> Town:
    """A town with its bureau, from the held places (no query): the same shared object every request
    of the process reads, never to be changed. One made in another process in the last second is
    read from the database."""
    return versioned.held(PLACES, _read_points).towns.get(town_id) or Town.objects.select_related(
        "bureau"
    ).get(pk=town_id)


def town_by_code(*, code: str) -> Town | None:
    """A town with its bureau by its 12-digit code, from the held places (no query)."""
    return next((town for town in towns_held() if town.code == code), None)


def towns_held() -> list[Town]:
    """Every town with its bureau, by code, from the held places (no query): a public form's choice
    of town. Shared objects, never to be changed."""
    return sorted(versioned.held(PLACES, _read_points).towns.values(), key=lambda town: town.code)


def service_point_by_code(*, code: str) -> ServicePoint | None:
    """A service point with its town, from the held service points (no query)."""
    return versioned.held(PLACES, _read_points).by_code.get(code)


def market_place_by_code(*, code: str) -> MarketPlace | None:
    """A market place with its town, from the held places (no query). For its code, id and town only:
    its cycle and booths are read from the database where they matter."""
    return versioned.held(PLACES, _read_points).markets.get(code)


def village_by_code(*, code: str) -> Village | None:
    """A village with its town, from the held places (no query): the same shared object every
    request of the process reads, never to be changed (a registration's village). For its identity
    and town: its head count (planning's) is read from the database where it matters."""
    return versioned.held(PLACES, _read_points).villages.get(code)
