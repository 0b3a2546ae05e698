"""The directory of job services near home, as the province asks for it each quarter: every 零工市场,
零工驿站 and 家门口就业服务站 (service points of those kinds, linju/geo) of the viewer's bureau and towns,
with its name, kind, how it is run (public, a business, self-organised), town, village, address and
phone, and the quarter's figures computed from the gig market's own rows:

- seekers: the distinct workers who signed in there in the quarter;
- main kinds of work: as entered for the place (codes or names of the district's list), else the
  three most posted there in the quarter (the page says which);
- days in use: the days of the quarter with a sign-in there or a gig posted there beginning;
- successful hires: the dispatches to gigs posted there that began in the quarter, not cancelled
  nor missed; a day: over the days in use (none in use: 0).

The workbook has one sheet, every field a column, every text a text cell (linju/core/xlsx.py).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import DomainError
from linju.core.xlsx import xlsx_bytes
from linju.geo.models import ServicePoint

from .models import Dispatch, Gig, SignIn, WorkType

if TYPE_CHECKING:
    from linju.accounts.models import User

KINDS = (ServicePoint.Kind.GIG_MARKET, ServicePoint.Kind.GIG_STATION, ServicePoint.Kind.JOB_STATION)
HIRED = (Dispatch.Status.SENT, Dispatch.Status.DONE)
QUARTER = re.compile(r"^(\d{4})\s*[-Qq]\s*([1-4])$")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        """The day after the quarter."""
        return datetime.date(self.year + self.number // 4, (3 * self.number) % 12 + 1, 1)

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def following(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str | None, today: datetime.date | None = None) -> Quarter:
        """'2026Q4' (or 2026-4, 2026q4) → the fourth quarter of 2026; empty → this quarter."""
        today = today or timezone.localdate()
        if not text:
            return cls.of(today)
        found = QUARTER.match(text.strip()[:10])
        if found is None or not 2000 <= int(found.group(1)) <= 2100:
            raise DomainError(
                _("Give the quarter as year and quarter, for example 2026Q4."),
                field="quarter",
                code="bad_quarter",
            )
        return cls(int(found.group(1)), int(found.group(2)))


@dataclass
class DirectoryRow:
    point: ServicePoint
    seekers: int = 0
    days_in_use: int = 0
    hires: int = 0
    work_types: list[str] = field(default_factory=list)
    work_types_entered: bool = False

    @property
    def hires_a_day(self) -> Decimal:
        if not self.days_in_use:
            return Decimal("0.0")
        return (Decimal(self.hires) / self.days_in_use).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _entered_types(point: ServicePoint, names: dict[str, str]) -> list[str]:
    values = point.work_types if isinstance(point.work_types, list) else []
    return [names.get(str(v), str(v))[:40] for v in values[:10] if str(v).strip()]


def directory(*, viewer: User, quarter: Quarter) -> list[DirectoryRow]:
    """The job services of the viewer's towns with the quarter's figures, by town, kind and name.
    Six queries, whatever the number of places."""
    require(viewer, "gig.directory")
    points = list(
        ServicePoint.objects.visible_to(viewer)
        .filter(kind__in=KINDS)
        .select_related("town", "village")
        .order_by("town__code", "kind", "name", "code")
    )
    if not points:
        return []
    ids = [p.pk for p in points]
    in_quarter = {"day__gte": quarter.start, "day__lt": quarter.end}
    seekers = dict(
        SignIn.objects.filter(service_point_id__in=ids, **in_quarter)
        .order_by()
        .values("service_point_id")
        .annotate(n=Count("worker_id", distinct=True))
        .values_list("service_point_id", "n")
    )
    days: dict[int, set[datetime.date]] = {}
    for point_id, day in (
        SignIn.objects.filter(service_point_id__in=ids, **in_quarter)
        .order_by()
        .values_list("service_point_id", "day")
        .distinct()
    ):
        days.setdefault(point_id, set()).add(day)
    gigs = Gig.objects.filter(
        service_point_id__in=ids, starts_on__gte=quarter.start, starts_on__lt=quarter.end
    )
    posted: dict[int, Counter] = {}
    for point_id, day, type_name in gigs.order_by().values_list(
        "service_point_id", "starts_on", "work_type__name"
    ):
        days.setdefault(point_id, set()).add(day)
        posted.setdefault(point_id, Counter())[type_name] += 1
    hires = dict(
        Dispatch.objects.filter(gig__in=gigs, status__in=HIRED)
        .order_by()
        .values("gig__service_point_id")
        .annotate(n=Count("pk"))
        .values_list("gig__service_point_id", "n")
    )
    names = {}
    for code, name in WorkType.objects.values_list("code", "name"):
        names[code] = name
    rows = []
    for point in points:
        entered = _entered_types(point, names)
        rows.append(
            DirectoryRow(
                point=point,
                seekers=seekers.get(point.pk, 0),
                days_in_use=len(days.get(point.pk, ())),
                hires=hires.get(point.pk, 0),
                work_types=entered or [name for name, _n in posted.get(point.pk, Counter()).most_common(3)],
                work_types_entered=bool(entered),
            )
        )
    return rows


def header() -> list:
    return [
        _("No."),
        _("Place name"),
        _("Kind"),
        _("Run as"),
        _("Town"),
        _("Village"),
        _("Address"),
        _("Phone"),
        _("Quarter"),
        _("Seekers (distinct workers signed in)"),
        _("Main kinds of work"),
        _("Days in use"),
        _("Successful hires"),
        _("Successful hires a day"),
    ]


def directory_xlsx(*, viewer: User, quarter: Quarter) -> tuple[bytes, int]:
    """The quarter's directory as the province's workbook: in Chinese, every field, text cells."""
    rows = directory(viewer=viewer, quarter=quarter)
    with translation.override("zh-hans"):
        return xlsx_bytes(
            sheet=f"{quarter.code}",
            header=[str(h) for h in header()],
            rows=[
                [
                    number,
                    row.point.name,
                    str(ServicePoint.Kind(row.point.kind).label),
                    str(ServicePoint.Operator(row.point.operator).label) if row.point.operator else "",
                    row.point.town.name if row.point.town else "",
                    row.point.village.name if row.point.village else "",
                    row.point.address,
                    row.point.phone,
                    quarter.code,
                    row.seekers,
                    "、".join(row.work_types),
                    row.days_in_use,
                    row.hires,
                    float(row.hires_a_day),
                ]
                for number, row in enumerate(rows, start=1)
            ],
        )
