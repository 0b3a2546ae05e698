"""Chinese working days: official holidays and adjusted working weekends (调休) from `chinesecalendar`.

The one calendar module. Beyond the years the package knows, a day is judged by weekends only
and marked `estimated`, never silently. (The cases issue extends this with an editable Holiday
table for schedules published after the package's release.)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar


@dataclass(frozen=True)
class DayInfo:
    working: bool
    estimated: bool


def day_info(day: datetime.date) -> DayInfo:
    try:
        return DayInfo(working=chinese_calendar.is_workday(day), estimated=False)
    except NotImplementedError:
        return DayInfo(working=day.weekday() < 5, estimated=True)


def is_working_day(day: datetime.date) -> bool:
    return day_info(day).working
