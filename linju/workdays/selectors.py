"""The one working-day calendar. Load it for a span of dates (one query), then ask it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import Holiday, ScheduleYear

SPAN_MARGIN_DAYS = 60  # enough for any run of holidays inside a span of working days


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
        rows = Holiday.objects.filter(date__range=(start, end)).values_list("date", "kind")
        years = set(
            ScheduleYear.objects.filter(year__range=(start.year, end.year)).values_list("year", flat=True)
        )
        return cls(dict(rows), years)

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


def calendar_for(start: datetime.date, working_days: int = 0) -> WorkCalendar:
    """A calendar covering `start` and enough days after it for `working_days` working days."""
    end = start + datetime.timedelta(days=working_days * 2 + SPAN_MARGIN_DAYS)
    return WorkCalendar.load(start - datetime.timedelta(days=1), end)


def add_working_days(start: datetime.date, count: int) -> Deadline:
    return calendar_for(start, count).add_working_days(start, count)


def day_info(day: datetime.date) -> DayInfo:
    return WorkCalendar.load(day, day).day(day)
