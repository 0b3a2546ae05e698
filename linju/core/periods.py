"""A calendar month as a period of days and of moments, parsed from "2026-11" in plain words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.errors import DomainError


@dataclass(frozen=True)
class Period:
    """A calendar month, [start, end)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = datetime.date(year, month, 1)
        end = datetime.date(year + month // 12, month % 12 + 1, 1)
        return cls(start, end)

    @classmethod
    def parse(cls, text: str | None, today: datetime.date | None = None) -> Period:
        """'2026-11' → November 2026; empty → this month. Anything else is refused in plain words."""
        today = today or timezone.localdate()
        if not text:
            return cls.month(today.year, today.month)
        try:
            year, month = (int(part) for part in text.split("-"))
            if not 2000 <= year <= 2100:
                raise ValueError
            return cls.month(year, month)
        except ValueError:
            raise DomainError(
                _("Give the month as year-month, for example 2026-11."), field="month", code="bad_month"
            ) from None

    def previous(self) -> Period:
        last = self.start - datetime.timedelta(days=1)
        return Period.month(last.year, last.month)

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m}"

    def aware(self) -> tuple[datetime.datetime, datetime.datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz),
            datetime.datetime.combine(self.end, datetime.time.min, tzinfo=tz),
        )


def parse_year(text: str | None, today: datetime.date | None = None) -> int:
    """'2026' → 2026; empty → this year. Anything else is refused in plain words."""
    if not text:
        return (today or timezone.localdate()).year
    if not (text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100):
        raise DomainError(_("Give the year as four digits, for example 2026."), field="year", code="bad_year")
    return int(text)


FIRST_SERVED, LAST_SERVED = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def check_served_date(day: datetime.date | None, *, field: str = "date") -> datetime.date | None:
    """A date the system answers for (2000–2100, as the months and years above); any other is
    refused in plain words, never carried into date arithmetic that would overflow."""
    if day is not None and not FIRST_SERVED <= day <= LAST_SERVED:
        raise DomainError(
            _("Give a date between %(first)s and %(last)s."),
            params={"first": FIRST_SERVED.isoformat(), "last": LAST_SERVED.isoformat()},
            field=field,
            code="bad_date",
        )
    return day


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Whole years of age on a day (the one rule the eligibility engine, its sentences and job
    matching all use)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
