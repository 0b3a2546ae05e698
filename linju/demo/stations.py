"""Synthetic job-service places for the demo: a 零工市场 at each bureau's seat, 零工驿站 in several
towns, 家门口就业服务站 in a few villages, with the provincial directory's kind and main work, and
their travel times (made the way places.py makes them for stations and markets).

The places are made up and marked so (`is_synthetic`, `TravelTime.Source.SYNTHETIC`); the towns and
villages they stand in are real.
"""

from __future__ import annotations

from django.db import transaction

from linju.geo.models import Bureau, ServicePoint, Town, Village
from linju.geo.selectors import places_changed

from .places import HALL_TOWNS, OPENING_HOURS, create_travel_times

Kind, Operator = ServicePoint.Kind, ServicePoint.Operator

# (town name, who runs it, main kinds of work): a 零工驿站 at the town's 便民服务中心
GIG_STATIONS = (
    ("东溪镇", Operator.PUBLIC, ["建筑工", "农业采摘", "装卸搬运"]),
    ("赶水镇", Operator.BUSINESS, ["建筑工", "电子装配", "餐饮服务"]),
    ("石角镇", Operator.PUBLIC, ["农业采摘", "家政保洁"]),
    ("打通镇", Operator.SELF_ORGANISED, ["装卸搬运", "建筑工"]),
    ("三角镇", Operator.PUBLIC, ["农业采摘", "养殖", "家政保洁"]),
    ("青年镇", Operator.PUBLIC, ["农业采摘", "建筑工"]),
)
# (village code, its name as a check): a 家门口就业服务站 with the village committee
JOB_STATIONS = (
    ("500110113225", "荆山村"),  # 永新镇, 代云峰's village
    ("500110109210", "龙井村"),  # 东溪镇
)
# and in the most populous rural village of each of these towns
JOB_STATION_TOWNS = ("石壕镇", "郭扶镇", "安稳镇")
MARKET_WORK = ["建筑工", "装卸搬运", "家政保洁", "餐饮服务", "电子装配", "农业采摘"]
VILLAGE_WORK = ["农业采摘", "养殖", "家政保洁"]


def _point(code: str, *, kind: str, name: str, town: Town, village: Village | None, **fields) -> bool:
    """One place, made once: what a later run finds is left as it is."""
    at = village or town
    _point_row, created = ServicePoint.objects.get_or_create(
        code=code,
        defaults={
            "kind": kind,
            "name": name,
            "bureau_id": town.bureau_id,
            "town": town,
            "village": village,
            "address": f"{town.name}{village.name if village else '便民服务中心'}(示例地址)",
            "opening_hours": OPENING_HOURS,
            "latitude": at.latitude,
            "longitude": at.longitude,
            "is_synthetic": True,
            **fields,
        },
    )
    return created


def _largest_rural_village(town: Town) -> Village | None:
    rural = town.villages.exclude(name__contains="社区").order_by("-population", "code")
    return rural.first()


@transaction.atomic
def create_job_service_points() -> tuple[int, int]:
    """The demo's job-service places and their travel times: (places, travel times) created. Run
    again, it makes nothing twice."""
    created = 0
    for bureau in Bureau.objects.order_by("pk"):
        town = Town.objects.filter(code=HALL_TOWNS.get(bureau.zone), bureau=bureau).first()
        if town is None:
            continue
        created += _point(
            f"gig-market-{town.code}",
            kind=Kind.GIG_MARKET,
            name=f"{bureau.zone if bureau.zone.endswith('区') else bureau.zone + '区'}零工市场",
            town=town,
            village=None,
            operator=Operator.PUBLIC,
            work_types=MARKET_WORK,
            phone=f"023-489{bureau.pk:02d}000",
        )
    towns = {t.name: t for t in Town.objects.filter(name__in=[g[0] for g in GIG_STATIONS])}
    for name, operator, work in GIG_STATIONS:
        if name in towns:
            town = towns[name]
            created += _point(
                f"gig-station-{town.code}",
                kind=Kind.GIG_STATION,
                name=f"{name}零工驿站",
                town=town,
                village=None,
                operator=operator,
                work_types=work,
            )
    villages = [
        v
        for code, name in JOB_STATIONS
        if (v := Village.objects.select_related("town").filter(code=code, name=name).first())
    ]
    for town in Town.objects.filter(name__in=JOB_STATION_TOWNS).order_by("code"):
        if village := _largest_rural_village(town):
            villages.append(village)
    for village in villages:
        created += _point(
            f"job-station-{village.code}",
            kind=Kind.JOB_STATION,
            name=f"{village.name}家门口就业服务站",
            town=village.town,
            village=village,
            operator=Operator.PUBLIC,
            work_types=VILLAGE_WORK,
        )
    places_changed()
    travel = create_travel_times(
        service_points=ServicePoint.objects.filter(
            kind__in=[Kind.GIG_MARKET, Kind.GIG_STATION, Kind.JOB_STATION]
        ),
        market_places=False,
    )
    return created, travel
