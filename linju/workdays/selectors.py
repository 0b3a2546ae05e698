"""The one working-day calendar. The whole Holiday table (a few hundred rows) is held in each process
and read again only after an import changed it (linju/core/versioned.py): asking it costs no query."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from linju.core import versioned

from .models import Holiday, ScheduleYear


@dataclass(frozen=True)
class DayInfo:
    working: bool
    estimated: bool


@dataclass(frozen=True)
class Deadline:
    date: datetime.date
    estimated: bool


class WorkCalendar:
    def __init__(self, exceptions: dict[datetime.date, str], known_years: set[int]) -> None:
        self.exceptions = exceptions
        self.known_years = known_years

    @classmethod
    def load(cls, start: datetime.date, end: datetime.date) -> WorkCalendar:
        """The calendar for a span of dates, read from the database now (no process copy)."""
        rows = Holiday.objects.filter(date__range=(start, end)).values_list("date", "kind")
        years = set(
            ScheduleYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True)
        )
        return cls(dict(rows), years)

    @classmethod
    def load_all(cls) -> WorkCalendar:
        return cls(
            dict(Holiday.objects.values_list("date", "kind")),
            set(ScheduleYear.objects.values_list("year", flat=True)),
        )

    def day(self, day: datetime.date) -> DayInfo:
        kind = self.exceptions.get(day)
        if kind is not None:
            return DayInfo(working=kind == Holiday.Kind.WORKDAY, estimated=day.year not in self.known_years)
        return DayInfo(working=day.weekday() < 5, estimated=day.year not in self.known_years)

    def add_working_days(self, start: datetime.date, count: int) -> Deadline:
        """The `count`-th working day after `start` (which itself does not count); 0 is `start` itself."""
        estimated = start.year not in self.known_years
        day = start
        remaining = count
        while remaining > 0:
            day += datetime.timedelta(days=1)
            info = self.day(day)
            estimated = estimated or info.estimated
            if info.working:
                remaining -= 1
        return Deadline(date=day, estimated=estimated)

    def working_days_after(self, start: datetime.date, end: datetime.date) -> int:
        """How many working days lie in (start, end]: 0 when end is not after start."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.day(day).working:
                count += 1
        return count


CALENDAR = "workdays.calendar"


def calendar() -> WorkCalendar:
    """The whole calendar, as held by this process (see the module's docstring)."""
    return versioned.held(CALENDAR, WorkCalendar.load_all)


def calendar_changed() -> None:
    """Say that holidays or known years were written: every process reads the calendar again."""
    versioned.changed(CALENDAR)


def calendar_for(start: datetime.date, working_days: int = 0) -> WorkCalendar:
    """A calendar covering `start` and `working_days` working days after it: the whole one."""
    return calendar()


def add_working_days(start: datetime.date, count: int) -> Deadline:
    return calendar().add_working_days(start, count)


def day_info(day: datetime.date) -> DayInfo:
    return calendar().day(day)
