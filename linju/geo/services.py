"""Writes to the geography: importing the official divisions and travel times."""

from __future__ import annotations

import io
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from linju.core import pinyin
from linju.core.csv_import import ImportResult, read_csv, refuse_if_errors, upsert

from .models import Bureau, District, MarketPlace, ServicePoint, Town, TravelTime, Village
from .selectors import places_changed

DIVISION_COLUMNS = ["code", "name", "level", "parent_code", "full_name", "zone"]
TRAVEL_COLUMNS = ["village_code", "destination_code", "minutes", "mode"]

# Names of the bureaus that serve each zone of the divisions file.
KNOWN_BUREAUS = {
    "綦江": ("qijiang", "重庆市綦江区人力资源和社会保障局", "綦江区人力社保局", "QJ"),
    "万盛经开区": ("wansheng", "重庆市万盛经济技术开发区人力资源和社会保障局", "万盛经开区人力社保局", "WS"),
}


def _is_code(value: str) -> bool:
    return len(value) == 12 and value.isdigit()


def divisions_import(*, source: Path | str | io.TextIOBase) -> ImportResult:
    """Import district, towns and villages (columns code,name,level,parent_code,full_name,zone).

    Every row is checked first; one bad row and nothing is written. A second import of the
    same file changes nothing. One durable transaction; the processes are told on its commit.
    """
    rows = read_csv(source, DIVISION_COLUMNS)
    errors: list[tuple[int, str]] = []
    counties: dict[str, dict] = {}
    towns: dict[str, dict] = {}
    villages: dict[str, tuple[int, dict]] = {}
    seen: set[str] = set()
    for line, row in rows:
        if "__error__" in row:
            errors.append((line, str(_("expected 6 columns, found %(n)s") % {"n": row["__error__"]})))
            continue
        code, level = row["code"], row["level"]
        if not _is_code(code):
            errors.append((line, str(_("code “%(code)s” is not 12 digits") % {"code": code})))
            continue
        if code in seen:
            errors.append((line, str(_("code %(code)s appears twice") % {"code": code})))
            continue
        seen.add(code)
        if not row["name"]:
            errors.append((line, str(_("the name is empty"))))
            continue
        if level == "county":
            counties[code] = row
        elif level == "town":
            if not row["zone"]:
                errors.append((line, str(_("a town needs its zone (the bureau that serves it)"))))
                continue
            towns[code] = row | {"__line__": line}
        elif level == "village":
            villages[code] = (line, row)
        else:
            errors.append(
                (line, str(_("level “%(level)s” is not county, town or village") % {"level": level}))
            )
    known_counties = set(counties) | set(District.objects.values_list("code", flat=True))
    known_towns = set(towns) | set(Town.objects.values_list("code", flat=True))
    for row in towns.values():
        if row["parent_code"] not in known_counties:
            errors.append(
                (
                    row["__line__"],
                    str(_("parent %(code)s is not a district in the file") % {"code": row["parent_code"]}),
                )
            )
    for line, row in villages.values():
        if row["parent_code"] not in known_towns:
            errors.append(
                (line, str(_("parent %(code)s is not a town in the file") % {"code": row["parent_code"]}))
            )
    refuse_if_errors(errors)

    result = ImportResult()
    with transaction.atomic(durable=True):
        bureaus: dict[str, Bureau] = {}
        for zone in dict.fromkeys(row["zone"] for row in towns.values()):
            slug, name, short, code = KNOWN_BUREAUS.get(
                zone,
                (
                    pinyin.whole(zone),
                    f"{zone}人力资源和社会保障局",
                    f"{zone}人力社保局",
                    pinyin.initials(zone).upper()[:4].ljust(2, "X"),
                ),
            )
            bureaus[zone] = upsert(
                Bureau,
                {"zone": zone},
                {"jurisdiction_id": slug, "name": name, "short_name": short, "code": code},
                "bureau",
                result,
            )
        districts = {
            code: upsert(
                District,
                {"code": code},
                {"name": row["name"], "full_name": row["full_name"] or row["name"]},
                "district",
                result,
            )
            for code, row in counties.items()
        }
        town_objs: dict[str, Town] = {}
        for code, row in towns.items():
            district = districts.get(row["parent_code"]) or District.objects.get(code=row["parent_code"])
            town_objs[code] = upsert(
                Town,
                {"code": code},
                {
                    "name": row["name"],
                    "full_name": row["full_name"] or row["name"],
                    "district": district,
                    "bureau": bureaus[row["zone"]],
                },
                "town",
                result,
            )
        for code, (_line, row) in villages.items():
            town = town_objs.get(row["parent_code"]) or Town.objects.get(code=row["parent_code"])
            upsert(
                Village,
                {"code": code},
                {"name": row["name"], "full_name": row["full_name"] or row["name"], "town": town},
                "village",
                result,
            )
        places_changed()  # bureaus are held with the places (told on commit)
    return result


def travel_times_import(*, source: Path | str | io.TextIOBase) -> ImportResult:
    """Import travel minutes (columns village_code,destination_code,minutes,mode).

    destination_code is a service point's or a market place's code. All rows or none: one durable
    transaction.
    """
    rows = read_csv(source, TRAVEL_COLUMNS)
    villages = dict(Village.objects.values_list("code", "pk"))
    points = dict(ServicePoint.objects.values_list("code", "pk"))
    markets = dict(MarketPlace.objects.values_list("code", "pk"))
    modes = set(TravelTime.Mode.values)
    errors: list[tuple[int, str]] = []
    parsed: dict[tuple[int, str, int], tuple[int, str]] = {}
    for line, row in rows:
        if "__error__" in row:
            errors.append((line, str(_("expected 4 columns, found %(n)s") % {"n": row["__error__"]})))
            continue
        village_id = villages.get(row["village_code"])
        if village_id is None:
            errors.append((line, str(_("unknown village code “%(code)s”") % {"code": row["village_code"]})))
            continue
        dest = row["destination_code"]
        if dest in points:
            key = (village_id, "service_point", points[dest])
        elif dest in markets:
            key = (village_id, "market_place", markets[dest])
        else:
            errors.append((line, str(_("unknown service point or market place “%(code)s”") % {"code": dest})))
            continue
        try:
            minutes = int(row["minutes"])
        except ValueError:
            minutes = -1
        if not 0 <= minutes <= 24 * 60:
            errors.append(
                (
                    line,
                    str(
                        _("minutes must be a whole number from 0 to 1440, not “%(v)s”")
                        % {"v": row["minutes"]}
                    ),
                )
            )
            continue
        if row["mode"] not in modes:
            errors.append((line, str(_("mode must be walk or bus, not “%(v)s”") % {"v": row["mode"]})))
            continue
        if key in parsed:
            errors.append((line, str(_("this village and destination appear twice"))))
            continue
        parsed[key] = (minutes, row["mode"])
    refuse_if_errors(errors)
    result = ImportResult()
    with transaction.atomic(durable=True):
        for (village_id, kind, dest_id), (minutes, mode) in parsed.items():
            upsert(
                TravelTime,
                {"village_id": village_id, f"{kind}_id": dest_id},
                {"minutes": minutes, "mode": mode, "source": TravelTime.Source.IMPORTED},
                "travel_time",
                result,
            )
    return result


# not durable: planning applies a plan's booths inside the plan's transaction (both or neither)
def market_places_set_regular_booths(*, markets: QuerySet[MarketPlace], chosen: set[int]) -> int:
    """Give the chosen market places (by id) a regular booth and take it from the other `markets`;
    how many changed. One save per market place that changes."""
    changed = 0
    for market in markets:
        regular = market.pk in chosen
        if market.regular_booth != regular:
            market.regular_booth = regular
            market.save(update_fields=["regular_booth", "updated_at"])
            changed += 1
    return changed
