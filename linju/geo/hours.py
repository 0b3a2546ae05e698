"""Opening hours of service points: the same hours on every Chinese working day."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.workdays.selectors import calendar as work_calendar

DEFAULT_HOURS = [["09:00", "12:00"], ["14:00", "17:30"]]
LOOK_AHEAD_DAYS = 40  # longer than any holiday (the Spring Festival break is about 9 days)


@dataclass(frozen=True)
class Opening:
    start: datetime.datetime
    end: datetime.datetime
    open_now: bool
    estimated: bool  # the day is beyond the official holiday schedule we know


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def validate_hours(value) -> None:
    """[["09:00", "12:00"], ["14:00", "17:30"]]: intervals in order, each start before its end."""
    message = _('Opening hours are a list of ["HH:MM", "HH:MM"] pairs, in order, not overlapping.')
    if not isinstance(value, list):
        raise ValidationError(message)
    previous_end = None
    for interval in value:
        if not (isinstance(interval, list) and len(interval) == 2):
            raise ValidationError(message)
        try:
            start, end = _time(interval[0]), _time(interval[1])
        except (TypeError, ValueError):
            raise ValidationError(message) from None
        if start >= end or (previous_end and start < previous_end):
            raise ValidationError(message)
        previous_end = end


def next_opening(hours: list[list[str]], *, after: datetime.datetime | None = None) -> Opening | None:
    """The current or next opening interval at or after `after` (aware; default now)."""
    after = timezone.localtime(after or timezone.now())
    tz = after.tzinfo
    day = after.date()
    calendar = work_calendar()
    for _offset in range(LOOK_AHEAD_DAYS):
        info = calendar.day(day)
        if info.working:
            for start_text, end_text in hours:
                start = datetime.datetime.combine(day, _time(start_text), tzinfo=tz)
                end = datetime.datetime.combine(day, _time(end_text), tzinfo=tz)
                if end > after:
                    return Opening(start=start, end=end, open_now=start <= after, estimated=info.estimated)
        day += datetime.timedelta(days=1)
    return None
