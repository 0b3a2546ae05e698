"""Synthetic places for the demo: coordinates, service points, market places and travel times.

The towns and villages are real (the official division codes); everything made here is not,
and is marked so (`coordinates_synthetic`, `is_synthetic`, `TravelTime.Source.SYNTHETIC`).
"""

from __future__ import annotations

import math
import random

from django.db import transaction

from linju.geo.models import Bureau, MarketPlace, ServicePoint, Town, TravelTime, Village
from linju.geo.selectors import places_changed

# Approximate centres of the two urban areas; every other position is drawn around them.
ANCHORS = {
    "500110001000": (29.030, 106.651),  # 古南街道, 綦江 town centre
    "500110004000": (28.962, 106.920),  # 万盛街道
}
ZONE_BOXES = {
    "綦江": ((28.55, 29.20), (106.40, 106.85)),
    "万盛经开区": ((28.78, 29.05), (106.86, 107.12)),
}
HALL_TOWNS = {"綦江": "500110001000", "万盛经开区": "500110004000"}
OPENING_HOURS = "周一至周五 9:00–12:00, 14:00–17:30(法定节假日除外)"
ROAD_DETOUR = 1.6  # mountain roads: road distance over straight-line distance
WALK_KMH = 4.0
BUS_KMH = 25.0
BUS_WAIT_MINUTES = 25
# 永新镇's remote satellite market named in the founding article, and where it stands.
SHENGPING = ("500110113000", "升平片场")


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    dy = (a[0] - b[0]) * 111.0
    dx = (a[1] - b[1]) * 111.0 * math.cos(lat)
    return math.hypot(dx, dy)


def travel(a: tuple[float, float], b: tuple[float, float]) -> tuple[int, str]:
    """Minutes and mode from a to b: on foot when it is quicker, otherwise by country bus."""
    road_km = km_between(a, b) * ROAD_DETOUR
    walk = road_km / WALK_KMH * 60
    bus = BUS_WAIT_MINUTES + road_km / BUS_KMH * 60
    if walk <= bus:
        return max(1, round(walk)), TravelTime.Mode.WALK
    return min(24 * 60, round(bus)), TravelTime.Mode.BUS


def _short(town_name: str) -> str:
    for suffix in ("街道", "镇", "乡"):
        if town_name.endswith(suffix):
            return town_name[: -len(suffix)]
    return town_name


@transaction.atomic
def place_coordinates(*, seed: int) -> None:
    """Give towns and villages synthetic coordinates (only where none are set)."""
    rng = random.Random(seed)
    towns = list(Town.objects.select_related("bureau").order_by("code"))
    placed: list[tuple[float, float]] = [(t.latitude, t.longitude) for t in towns if t.latitude is not None]
    for town in towns:
        if town.latitude is not None:
            continue
        if town.code in ANCHORS:
            point = ANCHORS[town.code]
        else:
            (lat0, lat1), (lon0, lon1) = ZONE_BOXES.get(town.bureau.zone, ZONE_BOXES["綦江"])
            point = (rng.uniform(lat0, lat1), rng.uniform(lon0, lon1))
            for _attempt in range(200):
                if all(km_between(point, other) > 8 for other in placed):
                    break
                point = (rng.uniform(lat0, lat1), rng.uniform(lon0, lon1))
        town.latitude, town.longitude = round(point[0], 5), round(point[1], 5)
        town.coordinates_synthetic = True
        town.save(update_fields=["latitude", "longitude", "coordinates_synthetic", "updated_at"])
        placed.append(point)
    town_points = {t.pk: (t.latitude, t.longitude) for t in towns}
    villages = list(Village.objects.filter(latitude__isnull=True).order_by("code"))
    for village in villages:
        lat, lon = town_points[village.town_id]
        urban = "社区" in village.name
        distance_km = rng.uniform(0.3, 2.0) if urban else rng.uniform(1.5, 9.0)
        angle = rng.uniform(0, 2 * math.pi)
        village.latitude = round(lat + distance_km * math.sin(angle) / 111.0, 5)
        village.longitude = round(
            lon + distance_km * math.cos(angle) / (111.0 * math.cos(math.radians(lat))), 5
        )
        village.coordinates_synthetic = True
    Village.objects.bulk_update(villages, ["latitude", "longitude", "coordinates_synthetic"], batch_size=500)
    # Synthetic head counts (a rural village 600–3,000 people, a community more) for planning when
    # the demo registry holds only a sample of the people; set only where none is entered.
    unset = list(Village.objects.filter(population__isnull=True).order_by("code"))
    for village in unset:
        village.population = rng.randint(2000, 8000) if "社区" in village.name else rng.randint(600, 3000)
    Village.objects.bulk_update(unset, ["population"], batch_size=500)


@transaction.atomic
def create_service_points() -> None:
    """One service hall per bureau and one social-security station per town (demo addresses and phones)."""
    for bureau in Bureau.objects.all():
        town = (
            Town.objects.filter(code=HALL_TOWNS.get(bureau.zone)).first()
            or bureau.towns.order_by("code").first()
        )
        if town is None:
            continue
        ServicePoint.objects.get_or_create(
            code=f"hall-{town.code}",
            defaults={
                "kind": ServicePoint.Kind.DISTRICT_HALL,
                "name": f"{bureau.short_name}服务大厅",
                "bureau": bureau,
                "town": town,
                "address": f"{town.name}(示例地址)",
                "phone": f"023-486{bureau.pk:02d}000",
                "opening_hours": OPENING_HOURS,
                "latitude": town.latitude,
                "longitude": town.longitude,
                "is_synthetic": True,
            },
        )
    for index, town in enumerate(Town.objects.select_related("bureau").order_by("code"), start=1):
        ServicePoint.objects.get_or_create(
            code=f"station-{town.code}",
            defaults={
                "kind": ServicePoint.Kind.TOWN_STATION,
                "name": f"{town.name}社保服务所",
                "bureau": town.bureau,
                "town": town,
                "address": f"{town.name}便民服务中心(示例地址)",
                "phone": f"023-487{index:05d}",
                "opening_hours": OPENING_HOURS,
                "latitude": town.latitude,
                "longitude": town.longitude,
                "is_synthetic": True,
            },
        )
    places_changed()


@transaction.atomic
def create_market_places(*, seed: int) -> None:
    """A market at every town seat, 永新镇's 升平片场, and a satellite market in some rural towns."""
    rng = random.Random(seed + 1)
    for town in Town.objects.order_by("code"):
        MarketPlace.objects.get_or_create(
            code=f"market-{town.code}",
            defaults={
                "name": f"{_short(town.name)}场镇",
                "kind": MarketPlace.Kind.TOWN_MARKET,
                "town": town,
                "latitude": town.latitude,
                "longitude": town.longitude,
                "is_synthetic": True,
            },
        )
        rural = list(town.villages.exclude(name__contains="社区").order_by("code"))
        if not rural:
            continue
        is_shengping = town.code == SHENGPING[0]
        if not is_shengping and (town.name.endswith("街道") or rng.random() < 0.5):
            continue
        # The satellite market stands at the village farthest from the town seat.
        far = max(rural, key=lambda v: km_between((v.latitude, v.longitude), (town.latitude, town.longitude)))
        MarketPlace.objects.get_or_create(
            code=f"satellite-{town.code}",
            defaults={
                "name": SHENGPING[1] if is_shengping else f"{far.name.removesuffix('村')}片场",
                "kind": MarketPlace.Kind.SATELLITE,
                "town": town,
                "latitude": far.latitude,
                "longitude": far.longitude,
                "is_synthetic": True,
            },
        )
    # Each village not yet linked to a market is served by the nearest market of its own town.
    markets_by_town: dict[int, list[MarketPlace]] = {}
    for market in MarketPlace.objects.all():
        markets_by_town.setdefault(market.town_id, []).append(market)
    links = []
    for village in Village.objects.filter(market_places__isnull=True):
        candidates = markets_by_town.get(village.town_id, [])
        if candidates:
            nearest = min(
                candidates,
                key=lambda m: km_between((m.latitude, m.longitude), (village.latitude, village.longitude)),
            )
            links.append(MarketPlace.villages.through(marketplace_id=nearest.pk, village_id=village.pk))
    MarketPlace.villages.through.objects.bulk_create(links, batch_size=1000)
    places_changed()


@transaction.atomic
def create_travel_times(*, service_points=None, market_places: bool = True) -> int:
    """Synthetic minutes from every village to every service point (or those given) and market
    place (unless told not to) of its bureau.

    Rows that already exist (synthetic or imported) are left as they are.
    """
    points = ServicePoint.objects.all() if service_points is None else service_points
    markets = MarketPlace.objects.select_related("town") if market_places else []
    # (field on TravelTime, destination, the bureau it belongs to)
    destinations = [("service_point", p, p.bureau_id) for p in points] + [
        ("market_place", m, m.town.bureau_id) for m in markets
    ]
    rows = []
    for village in Village.objects.select_related("town"):
        here = (village.latitude, village.longitude)
        for field, destination, bureau_id in destinations:
            if bureau_id != village.town.bureau_id:
                continue
            minutes, mode = travel(here, (destination.latitude, destination.longitude))
            rows.append(
                TravelTime(
                    village=village,
                    **{field: destination},
                    minutes=minutes,
                    mode=mode,
                    source=TravelTime.Source.SYNTHETIC,
                )
            )
    before = TravelTime.objects.count()
    TravelTime.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return TravelTime.objects.count() - before
