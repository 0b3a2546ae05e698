"""工资指导价位: the bureau's yearly wage guide by kind of work, imported from its spreadsheet, and the
one comparison every page and the API read: a gig's pay beside the guide (`guide_for`), and whether
it pays below it (`below_guide`).

Which guide: the bureau's for the gig's first day's year; while a year's guide is not yet published,
the latest earlier year's stands (the note names its year).

How a gig is compared: against the guide's low figure (低位数) for its kind of work, per the gig's
own unit when the guide prices it. A day and an hour are compared through the standard working day
of 8 hours (劳动法 第三十六条): a gig paid by the hour against a guide by the day is compared with
the day's figure divided by 8, a gig paid by the day against a guide by the hour with the hour's
times 8. A gig paid by the piece is compared only with a guide by the piece: pieces of different
work are not hours. With no guide to compare, there is no note and no flag.

The guide is a small table read on many pages: held in each process (linju/core/versioned.py) and
read again when the import (or the admin) says it changed.

The import reads the bureau's sheet (openpyxl): one row per kind of work and unit — 年度, 工种,
单位, 低位数, 中位数, 高位数 (English headers too) — measured first (linju/core/xlsx.py, with limits
sized to a guide, not a register), each bad row reported with its row number, column and reason in
the reader's language, and nothing written unless every row passed.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from linju.access.capabilities import require
from linju.core import versioned
from linju.core.errors import DomainError
from linju.core.text import clip
from linju.core.xlsx import WorkbookLimits, unreadable, workbook_survey

from .models import Gig, PayUnit, WageGuidePrice, WorkType

if TYPE_CHECKING:
    from linju.accounts.models import User

WAGE_GUIDE = "gig.wage_guide"
HOURS_A_DAY = Decimal(8)  # the standard working day a guide's day figure stands for
CENT = Decimal("0.01")


def wage_guide_changed() -> None:
    """Say the guide changed (the import, the admin, the demo): every process reads it again."""
    versioned.changed(WAGE_GUIDE)


@dataclass(frozen=True)
class Price:
    year: int
    low: Decimal
    middle: Decimal
    high: Decimal


def _load() -> dict[tuple[int, int, str], list[Price]]:
    """{(bureau, work type, unit): its prices, the latest year first}."""
    table: dict[tuple[int, int, str], list[Price]] = {}
    for row in WageGuidePrice.objects.order_by("-year").values_list(
        "bureau_id", "work_type_id", "unit", "year", "low", "middle", "high"
    ):
        table.setdefault(row[:3], []).append(Price(*row[3:]))
    return table


def _price(bureau_id: int, work_type_id: int, unit: str, year: int) -> Price | None:
    prices = versioned.held(WAGE_GUIDE, _load).get((bureau_id, work_type_id, unit), ())
    return next((p for p in prices if p.year <= year), None)


@dataclass(frozen=True)
class GuideNote:
    """The guide beside a gig: the year's figures in the unit the gig is compared in."""

    year: int
    unit: str  # the unit compared in: the gig's own
    low: Decimal
    middle: Decimal
    high: Decimal
    pay: Decimal  # the gig's pay, in that unit
    converted: bool  # the guide's figures were turned from day to hour or back (8 hours a day)
    below: bool  # the gig pays less than the low figure

    @property
    def unit_label(self) -> str:
        return str(PayUnit(self.unit).label)

    @property
    def short_by(self) -> Decimal:
        return max(self.low - self.pay, Decimal(0))


def _scaled(price: Price, factor: Decimal, divide: bool) -> tuple[Decimal, Decimal, Decimal]:
    def one(value: Decimal) -> Decimal:
        return (value / factor if divide else value * factor).quantize(CENT, rounding=ROUND_HALF_UP)

    return one(price.low), one(price.middle), one(price.high)


def guide_note(
    *, bureau_id: int, work_type_id: int, pay: Decimal, unit: str, day: datetime.date
) -> GuideNote | None:
    """The comparison itself, for a gig or a gig being posted (not yet saved)."""
    year = day.year
    own = _price(bureau_id, work_type_id, unit, year)
    converted = False
    if own is not None:
        price, figures = own, (own.low, own.middle, own.high)
    elif unit in (PayUnit.DAY, PayUnit.HOUR):
        other = PayUnit.HOUR if unit == PayUnit.DAY else PayUnit.DAY
        price = _price(bureau_id, work_type_id, other, year)
        if price is None:
            return None
        # a guide by the day, a gig by the hour: the day's figures over 8; the other way, times 8
        figures = _scaled(price, HOURS_A_DAY, divide=unit == PayUnit.HOUR)
        converted = True
    else:
        return None
    low, middle, high = figures
    return GuideNote(
        year=price.year,
        unit=unit,
        low=low,
        middle=middle,
        high=high,
        pay=pay,
        converted=converted,
        below=pay < low,
    )


def guide_for(gig: Gig) -> GuideNote | None:
    """The wage guide beside this gig (None when the guide prices nothing comparable). The one
    function every page and the API read: no query while the guide has not changed."""
    return guide_note(
        bureau_id=gig.bureau_id,
        work_type_id=gig.work_type_id,
        pay=gig.pay,
        unit=gig.pay_unit,
        day=gig.starts_on,
    )


def below_guide(gig: Gig) -> bool:
    """Whether the gig pays below the wage guide's low figure (the cadre is told, the page says so)."""
    note = guide_for(gig)
    return note is not None and note.below


RANGE_WORDS = {
    PayUnit.DAY: _("%(low)s–%(high)s yuan a day"),
    PayUnit.HOUR: _("%(low)s–%(high)s yuan an hour"),
    PayUnit.PIECE: _("%(low)s–%(high)s yuan a piece"),
}
BELOW_WORDS = {
    PayUnit.DAY: _("The day's pay is below the district's wage guide (%(work)s %(range)s)."),
    PayUnit.HOUR: _("The hourly pay is below the district's wage guide (%(work)s %(range)s)."),
    PayUnit.PIECE: _("The piece rate is below the district's wage guide (%(work)s %(range)s)."),
}


def _amount(value: Decimal) -> str:
    return f"{value.normalize():f}"


def guide_range_words(note: GuideNote) -> str:
    """The guide's low to high figure as people say it: 140–210元/天 (the active language)."""
    return str(RANGE_WORDS[note.unit]) % {"low": _amount(note.low), "high": _amount(note.high)}


def below_guide_words(gig: Gig) -> str:
    """The plain sentence a cadre reads where they post and dispatch when the gig pays below the guide
    (the rule is `guide_for`'s); empty when it does not."""
    note = guide_for(gig)
    if note is None or not note.below:
        return ""
    return str(BELOW_WORDS[note.unit]) % {"work": gig.work_type.name, "range": guide_range_words(note)}


def gigs_below_guide(
    *, viewer: User, today: datetime.date | None = None, limit: int = 200
) -> list[tuple[Gig, GuideNote]]:
    """The viewer's towns' gigs not yet over (open or filled) that pay below the guide, soonest first:
    the cadre's flag. One query (the guide is held)."""
    require(viewer, "gig.wage_guide")
    today = today or timezone.localdate()
    gigs = (
        Gig.objects.visible_to(viewer)
        .filter(ends_on__gte=today, status__in=[Gig.Status.OPEN, Gig.Status.FILLED])
        .select_related("town", "village", "work_type")
        .order_by("starts_on", "start_time", "id")
    )
    flagged = []
    for gig in gigs.iterator(chunk_size=500):
        note = guide_for(gig)
        if note is not None and note.below:
            flagged.append((gig, note))
            if len(flagged) >= limit:
                break
    return flagged


def guide_table(*, viewer: User, year: int) -> list[WageGuidePrice]:
    """The viewer's bureau's guide of a year, by kind of work."""
    require(viewer, "gig.wage_guide")
    prices = WageGuidePrice.objects.filter(year=year).select_related("work_type")
    if viewer.bureau_id is not None:
        prices = prices.filter(bureau_id=viewer.bureau_id)
    return list(prices.order_by("work_type__code", "unit"))


# The import ---------------------------------------------------------------------------------------

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # a guide lists a few hundred kinds of work
LIMITS = WorkbookLimits(
    cell_chars=200,
    text_chars=2_000_000,
    strings_bytes=8 * 1024 * 1024,
    sheet_bytes=32 * 1024 * 1024,
    unpacked_bytes=48 * 1024 * 1024,
)
MAX_PRICE = Decimal("99999.99")
HEADER_SEARCH = 10  # title rows (the bureau, the year) come above the header


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    required: bool
    aliases: tuple[str, ...]


COLUMNS = (
    Column("year", _("Year"), False, ("年度", "年份", "year")),
    Column(
        "work_type", _("Work type"), True, ("工种", "职业", "职业(工种)", "工种名称", "work type", "code")
    ),
    Column("unit", _("Unit"), False, ("单位", "计价单位", "unit")),
    Column("low", _("Low (低位数)"), True, ("低位数", "low")),
    Column("middle", _("Middle (中位数)"), True, ("中位数", "middle")),
    Column("high", _("High (高位数)"), True, ("高位数", "high")),
)
UNITS = {
    "日": PayUnit.DAY,
    "天": PayUnit.DAY,
    "元/日": PayUnit.DAY,
    "元/天": PayUnit.DAY,
    "day": PayUnit.DAY,
    "小时": PayUnit.HOUR,
    "时": PayUnit.HOUR,
    "元/小时": PayUnit.HOUR,
    "hour": PayUnit.HOUR,
    "件": PayUnit.PIECE,
    "计件": PayUnit.PIECE,
    "元/件": PayUnit.PIECE,
    "piece": PayUnit.PIECE,
}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class GuideImported:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    saved: bool = False


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))).strip()


def _header_names() -> dict[str, str]:
    names = {}
    for column in COLUMNS:
        keys = {*column.aliases, column.key}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                keys.add(str(column.label))
        names |= {_plain(k).lower(): column.key for k in keys}
    return names


def _rows(content: bytes) -> Iterable[tuple[int, dict[str, str]]]:
    if len(content) > MAX_FILE_BYTES:
        raise DomainError(
            _("A wage guide file may be at most %(size)d MB."),
            params={"size": MAX_FILE_BYTES // 1024 // 1024},
        )
    if workbook_survey(content, LIMITS) > MAX_ROWS + HEADER_SEARCH:
        raise DomainError(_("A wage guide may hold at most %(count)d rows."), params={"count": MAX_ROWS})
    try:
        workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    except Exception as error:  # openpyxl raises anything on a broken file: the file's fault
        raise unreadable() from error
    names = _header_names()
    header_row = 0
    for header_row, header in enumerate(rows[:HEADER_SEARCH], start=1):  # noqa: B007 - read after the loop
        found = {}
        for index, cell in enumerate(header or ()):
            key = names.get(_plain(cell).lower())
            if key and key not in found:
                found[key] = index
        if all(c.key in found for c in COLUMNS if c.required):
            break
    else:
        raise DomainError(
            _(
                "No row among the first %(rows)d names the columns 工种, 低位数, 中位数 and 高位数. "
                "Keep one header row (a title above it is fine)."
            ),
            params={"rows": HEADER_SEARCH},
        )
    for row_number, values in enumerate(rows[header_row:], start=header_row + 1):
        if not values or all(_plain(v) == "" for v in values):
            continue
        yield row_number, {key: _plain(values[i]) if i < len(values) else "" for key, i in found.items()}


def _money(text: str, label) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("元", ""))
    except InvalidOperation:
        raise DomainError(_("Write an amount in yuan, such as 180 or 22.5."), field=str(label)) from None
    if not value.is_finite() or value <= 0 or value > MAX_PRICE:
        raise DomainError(_("Write an amount above 0 and at most 99999.99 yuan."), field=str(label))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _row(
    values: dict[str, str], year: int | None, types: dict[str, WorkType]
) -> tuple[int, WorkType, str, tuple]:
    """The row as (year, work type, unit, (low, middle, high)), or its first error (field: the column)."""
    labels = {c.key: c.label for c in COLUMNS}
    text_year = values.get("year", "")
    if text_year:
        if not text_year.isdigit() or not 2000 <= int(text_year) <= 2100:
            raise DomainError(_("Write the year as four digits, such as 2026."), field=str(labels["year"]))
        row_year = int(text_year)
    elif year is not None:
        row_year = year
    else:
        raise DomainError(_("Write the year, or choose it above the file."), field=str(labels["year"]))
    name = values.get("work_type", "")
    work_type = types.get(name) or types.get(name.lower())
    if work_type is None:
        raise DomainError(
            _("No kind of work %(name)s in the district's list: add it in the administration site first."),
            params={"name": clip(name, 40) or "—"},
            field=str(labels["work_type"]),
        )
    unit_text = values.get("unit", "").lower()
    unit = UNITS.get(unit_text) if unit_text else PayUnit.DAY
    if unit is None:
        raise DomainError(_("Write the unit as 日, 小时 or 件."), field=str(labels["unit"]))
    low = _money(values.get("low", ""), labels["low"])
    middle = _money(values.get("middle", ""), labels["middle"])
    high = _money(values.get("high", ""), labels["high"])
    if not low <= middle <= high:
        raise DomainError(_("The figures must rise: 低位数 ≤ 中位数 ≤ 高位数."), field=str(labels["middle"]))
    return row_year, work_type, unit, (low, middle, high)


def wage_guide_import(*, viewer: User, content: bytes, year: int | None = None) -> GuideImported:
    """Read the bureau's wage guide and keep it: every row checked first (errors by row, column and
    reason, nothing saved while any row is wrong), then one durable transaction that creates or
    updates each (year, kind of work, unit) of the viewer's bureau. A row twice in the file is an
    error, not a silent second value."""
    require(viewer, "gig.wage_guide_import")
    if viewer.bureau_id is None:
        raise DomainError(_("Your account belongs to no bureau: a wage guide is one bureau's."))
    if year is not None and not 2000 <= year <= 2100:
        raise DomainError(_("Write the year as four digits, such as 2026."), field="year")
    types: dict[str, WorkType] = {}
    for work_type in WorkType.objects.all():
        types[work_type.name] = work_type
        types[work_type.code.lower()] = work_type
        if work_type.name_en:
            types[work_type.name_en.lower()] = work_type
    result = GuideImported()
    good: dict[tuple[int, int, str], tuple[int, tuple]] = {}
    for number, values in _rows(content):
        try:
            row_year, work_type, unit, figures = _row(values, year, types)
        except DomainError as error:
            column = error.field or ""
            key = next((c.key for c in COLUMNS if str(c.label) == column), "")
            result.errors.append(
                RowError(number, column, clip(values.get(key, ""), 60), clip(error.text(), 200))
            )
            continue
        key = (row_year, work_type.pk, unit)
        if key in good:
            result.errors.append(
                RowError(
                    number,
                    str(_("Work type")),
                    work_type.name,
                    str(
                        _("This kind of work and unit is already on row %(row)d for this year.")
                        % {"row": good[key][0]}
                    ),
                )
            )
            continue
        good[key] = (number, figures)
    if result.errors or not good:
        if not good and not result.errors:
            raise DomainError(_("The file holds no rows below its header."))
        return result
    with transaction.atomic(durable=True):
        existing = {
            (p.year, p.work_type_id, p.unit): p
            for p in WageGuidePrice.objects.select_for_update().filter(
                bureau_id=viewer.bureau_id, year__in={k[0] for k in good}
            )
        }
        for (row_year, type_id, unit), (_number, (low, middle, high)) in good.items():
            price = existing.get((row_year, type_id, unit))
            if price is None:
                WageGuidePrice.objects.create(
                    bureau_id=viewer.bureau_id,
                    year=row_year,
                    work_type_id=type_id,
                    unit=unit,
                    low=low,
                    middle=middle,
                    high=high,
                )
                result.created += 1
            elif (price.low, price.middle, price.high) == (low, middle, high):
                result.unchanged += 1
            else:
                price.low, price.middle, price.high = low, middle, high
                price.save(update_fields=["low", "middle", "high", "updated_at"])
                result.updated += 1
        wage_guide_changed()
    result.saved = True
    return result
