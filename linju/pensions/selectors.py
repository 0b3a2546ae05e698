"""Who reaches the statutory retirement age soon: the roster of the viewer's towns (read here, in
one query a town), and the same people across the registry for the nightly texts."""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from linju.access.capabilities import require
from linju.access.scoping import towns_for_viewer
from linju.people.masking import mask_id_number, mask_name
from linju.people.models import Resident

from .law import (
    Retirement,
    births_retiring_between,
    former_age_of,
    month_index,
    month_of,
    statutory_retirement,
)

if TYPE_CHECKING:
    from linju.accounts.models import User

ROSTER_MONTHS = 12  # this month and the next twelve


def _first_day(index: int) -> datetime.date:
    year, month = month_of(index)
    return datetime.date(year, month, 1)


def _last_day(index: int) -> datetime.date:
    year, month = month_of(index)
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def retiring_between(*, first: int, last: int) -> Q:
    """A filter of residents whose statutory retirement month lies between two month indexes (both
    included), as the law reckons it from sex, birth date and the former age recorded (men 60;
    women 50 unless 55 is recorded): one run of birth dates for each former age."""
    groups = (
        (60, Q(sex=Resident.Sex.MALE)),
        (
            50,
            Q(sex=Resident.Sex.FEMALE)
            & (Q(former_retirement__isnull=True) | Q(former_retirement__former_age=50)),
        ),
        (55, Q(sex=Resident.Sex.FEMALE, former_retirement__former_age=55)),
    )
    where = Q(pk__in=[])
    for former_age, who in groups:
        births = births_retiring_between(former_age=former_age, first=first, last=last)
        if births:
            where |= who & Q(birth_date__gte=_first_day(births[0]), birth_date__lte=_last_day(births[1]))
    return where


def retirement_of(resident: Resident) -> Retirement:
    """The law's answer for a resident of the registry (their recorded former age read with them)."""
    record = getattr(resident, "former_retirement", None)
    former_age = former_age_of(sex=resident.sex, recorded=record.former_age if record else None)
    return statutory_retirement(
        birth_year=resident.birth_date.year, birth_month=resident.birth_date.month, former_age=former_age
    )


def residents_retiring(*, today: datetime.date, months: int = ROSTER_MONTHS) -> QuerySet[Resident]:
    """Everyone (every bureau: the nightly job's list) whose statutory retirement month is this month
    or one of the next `months`."""
    first = month_index(today.year, today.month)
    return Resident.objects.filter(retiring_between(first=first, last=first + months)).select_related(
        "former_retirement"
    )


@dataclasses.dataclass(frozen=True)
class RosterRow:
    resident_id: int
    name: str  # masked
    id_number: str  # masked
    sex: str
    village: str
    former_age: int
    former_recorded: bool
    retirement: Retirement
    months_left: int

    @property
    def month(self) -> str:
        """The retirement month, YYYY-MM."""
        year, month = self.retirement.month
        return f"{year}-{month:02d}"


@dataclasses.dataclass(frozen=True)
class RosterTown:
    code: str
    name: str
    count: int
    rows: list[RosterRow]  # only for the town shown
    bureau_id: int
    shown: bool


def retirement_roster(
    *, viewer: User, town_code: str = "", today: datetime.date | None = None
) -> list[RosterTown]:
    """The viewer's towns, each with how many of its residents reach the statutory retirement age this
    month or in the next twelve, and the rows (masked) of one town: the one asked for, or the
    viewer's only town. Three queries: the counts by town, the towns, the town's people."""
    require(viewer, "retirement.roster")
    today = today or timezone.localdate()
    this_month = month_index(today.year, today.month)
    where = retiring_between(first=this_month, last=this_month + ROSTER_MONTHS)
    counts = {
        row["village__town"]: row["n"]
        for row in Resident.objects.visible_to(viewer)
        .filter(where)
        .order_by()
        .values("village__town")
        .annotate(n=Count("pk"))
    }
    towns = list(towns_for_viewer(viewer).order_by("code").only("code", "name", "bureau_id"))
    shown = town_code or (towns[0].code if len(towns) == 1 else "")
    rows: dict[int, list[RosterRow]] = {}
    if shown:
        people = (
            Resident.objects.visible_to(viewer)
            .filter(where, village__town__code=shown)
            .select_related("village", "former_retirement")
            .order_by("birth_date", "name_initials", "pk")
        )
        for person in people:
            retirement = retirement_of(person)
            rows.setdefault(person.village.town_id, []).append(
                RosterRow(
                    resident_id=person.pk,
                    name=mask_name(person.name),
                    id_number=mask_id_number(person.id_number),
                    sex=person.sex,
                    village=person.village.name,
                    former_age=retirement.former_age,
                    former_recorded=getattr(person, "former_retirement", None) is not None,
                    retirement=retirement,
                    months_left=month_index(*retirement.month) - this_month,
                )
            )
    return [
        RosterTown(
            code=town.code,
            name=town.name,
            count=counts.get(town.pk, 0),
            rows=sorted(rows.get(town.pk, []), key=lambda r: (r.retirement.month, r.village)),
            bureau_id=town.bureau_id,
            shown=town.code == shown,
        )
        for town in towns
    ]
