"""What the public calculator and `GET /api/v1/retirement-age` share: reading what was typed (a
birth month and a former age) and saying the answer's ages and months in words. The answer itself
is the law's (law.py)."""

from __future__ import annotations

import datetime
import re

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from linju.catalog.bundles import retirement_opens_months
from linju.core.errors import DomainError, ErrorCollector
from linju.geo.models import Town
from linju.geo.selectors import town_by_code

from .law import FORMER_AGES, Retirement, month_index, statutory_retirement

BIRTH_FIRST = (1930, 1)  # the calculator answers for birth months from here …
BIRTH_LAST = (2030, 12)  # … to here
BIRTH_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_birth(value: str | None, *, field: str = "birth") -> tuple[int, int]:
    """A birth month typed as 1965-03 (or 1965-3, 1965/03, 1965年3月): (year, month), or a
    DomainError that says what to type."""
    match = BIRTH_PATTERN.match((value or "")[:20])
    if not match:
        raise DomainError(_("Write the birth month as year and month, for example 1965-03."), field=field)
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise DomainError(_("The month must be between 1 and 12."), field=field)
    if not month_index(*BIRTH_FIRST) <= month_index(year, month) <= month_index(*BIRTH_LAST):
        raise DomainError(
            _("The birth month must be between %(first)s and %(last)s."),
            params={"first": month_text(BIRTH_FIRST), "last": month_text(BIRTH_LAST)},
            field=field,
        )
    return year, month


def parse_former_age(value: str | None, *, field: str = "former_age") -> int:
    """60 (men), 55 or 50 (women): the former retirement age, or a DomainError."""
    text = (value or "").strip()[:3]
    if text not in {str(age) for age in FORMER_AGES}:
        raise DomainError(_("The former retirement age must be 60 (men), 55 or 50 (women)."), field=field)
    return int(text)


def retirement_for(
    *, birth: str | None, former_age: str | None, town: str | None = None
) -> tuple[Retirement, Town | None]:
    """The law's answer for what was typed, and the town chosen (its bureau says when applications
    open; None when none was); every field is checked before any is refused, so a form or the API
    says everything wrong at once."""
    checks = ErrorCollector()
    parsed_birth = checks.check(parse_birth, birth)
    parsed_age = checks.check(parse_former_age, former_age)
    parsed_town = checks.check(parse_town, town)
    checks.raise_if_any()
    year, month = parsed_birth
    return statutory_retirement(birth_year=year, birth_month=month, former_age=parsed_age), parsed_town


def applications_open(retirement: Retirement, *, bureau_id: int) -> tuple[int, int] | None:
    """The month from which a resident of the bureau may apply to retire: as many months before the
    statutory retirement month as the bureau's setting says (`catalog.bundles.retirement_opens_months`),
    None when the bureau sets no wait. Intake refuses before it, and the calculator, its API and the
    text a year before name it: what a resident is told is what the bureau does."""
    months = retirement_opens_months(bureau_id=bureau_id)
    return None if months is None else retirement.months_before(months)


def parse_town(value: str | None, *, field: str = "town") -> Town | None:
    """The resident's town by its 12-digit code (its bureau says when applications open), None when
    nothing was chosen, or a DomainError."""
    code = (value or "").strip()[:12]
    if not code:
        return None
    town = town_by_code(code=code)
    if town is None:
        raise DomainError(_("No town with code %(code)s."), params={"code": code}, field=field)
    return town


def month_words(month: tuple[int, int]) -> str:
    """2031年4月 / April 2031."""
    return date_format(datetime.date(month[0], month[1], 1), "YEAR_MONTH_FORMAT")


def age_words(months: int) -> str:
    """61岁3个月 / 61 years 3 months; 63岁 / 63 years."""
    years, rest = divmod(months, 12)
    if rest:
        return _("%(years)d years %(months)d months") % {"years": years, "months": rest}
    return _("%(years)d years") % {"years": years}


def years_words(months: int) -> str:
    """15年 / 15年6个月 (a contribution in years and months)."""
    years, rest = divmod(months, 12)
    if rest:
        return _("%(years)d years and %(months)d months") % {"years": years, "months": rest}
    return _("%(years)d full years") % {"years": years}


def month_text(month: tuple[int, int]) -> str:
    """The API's form of a month: YYYY-MM."""
    return f"{month[0]}-{month[1]:02d}"
