"""Filling the Holiday table: from the chinesecalendar package, or from a CSV of a new State Council notice."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import chinese_calendar
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from linju.core.csv_import import ImportResult, read_csv, refuse_if_errors, upsert_many

from .models import Holiday, ScheduleYear
from .selectors import calendar_changed
from .signals import holidays_imported


def _announce(years: set[int]) -> None:
    transaction.on_commit(lambda: holidays_imported.send(sender=Holiday, years=sorted(years)))


CSV_COLUMNS = ["date", "kind", "name"]


def _chinese_name(english: str) -> str:
    for holiday in chinese_calendar.Holiday:
        if holiday.value == english:
            return holiday.chinese
    return english


def _package_years() -> range:
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return range(min(days).year, max(days).year + 1)


@transaction.atomic(durable=True)
def holidays_import_from_package() -> ImportResult:
    """Every holiday and adjusted working day that chinesecalendar knows; its years become known years.

    Rows entered by an administrator are left as they are.
    """
    result = ImportResult()
    manual = set(Holiday.objects.filter(source=Holiday.Source.MANUAL).values_list("date", flat=True))
    rows = {}
    for table, kind in (
        (chinese_calendar.holidays, Holiday.Kind.HOLIDAY),
        (chinese_calendar.workdays, Holiday.Kind.WORKDAY),
    ):
        for day, english in table.items():
            if day in manual:
                result.unchanged["holiday"] += 1
                continue
            rows[day] = {"kind": kind, "name": _chinese_name(english), "source": Holiday.Source.PACKAGE}
    upsert_many(Holiday, "date", rows, "holiday", result)
    upsert_many(
        ScheduleYear,
        "year",
        {year: {"source": "chinesecalendar"} for year in _package_years()},
        "year",
        result,
    )
    calendar_changed()
    _announce(set(_package_years()))
    return result


def holidays_import_csv(*, source: Path | str | io.TextIOBase, note: str = "") -> ImportResult:
    """Columns date,kind,name (kind: holiday or workday). Each year in the file becomes a known year:
    import a whole year's notice at once. All rows or none: one durable transaction."""
    rows = read_csv(source, CSV_COLUMNS)
    errors: list[tuple[int, str]] = []
    parsed: dict[datetime.date, tuple[str, str]] = {}
    for line, row in rows:
        if "__error__" in row:
            errors.append((line, str(_("expected 3 columns, found %(n)s") % {"n": row["__error__"]})))
            continue
        try:
            day = datetime.date.fromisoformat(row["date"])
        except ValueError:
            errors.append((line, str(_("“%(v)s” is not a date like 2027-10-01") % {"v": row["date"]})))
            continue
        if row["kind"] not in Holiday.Kind.values:
            errors.append((line, str(_("kind must be holiday or workday, not “%(v)s”") % {"v": row["kind"]})))
            continue
        if not row["name"]:
            errors.append((line, str(_("the name is empty"))))
            continue
        if day in parsed:
            errors.append((line, str(_("%(d)s appears twice") % {"d": day.isoformat()})))
            continue
        parsed[day] = (row["kind"], row["name"])
    refuse_if_errors(errors)
    result = ImportResult()
    with transaction.atomic(durable=True):
        upsert_many(
            Holiday,
            "date",
            {
                day: {"kind": kind, "name": name, "source": Holiday.Source.MANUAL}
                for day, (kind, name) in parsed.items()
            },
            "holiday",
            result,
        )
        upsert_many(
            ScheduleYear,
            "year",
            {year: {"source": note or "CSV"} for year in {d.year for d in parsed}},
            "year",
            result,
        )
        calendar_changed()
        _announce({d.year for d in parsed})
    return result
