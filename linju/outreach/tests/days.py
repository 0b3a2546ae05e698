"""Days the tests' markets meet, counted from today (the suite runs on any day)."""

import datetime

from django.utils import timezone


def next_market_days(count: int = 1, *, after: datetime.date | None = None) -> list[datetime.date]:
    """The 升平 market's next days after `after` (today): 逢二五八, as `outreach_towns` has it."""
    day = (after or timezone.localdate()) + datetime.timedelta(days=1)
    days = []
    while len(days) < count:
        if day.day % 10 in (2, 5, 8) and day.day != 31:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def next_market_day() -> datetime.date:
    return next_market_days(1)[0]
