"""The statutory retirement age under the law of 2024-09-13, as one pure function.

全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (13 September 2024, in force from
1 January 2025) and the State Council's 办法 attached to it:

- 第一条: from 2025-01-01 the retirement age of men (formerly 60) and of women formerly 55 is put
  off by one month for every four months of birth, up to 63 and 58; that of women formerly 50 by
  one month for every two months of birth, up to 55. The first affected are those whose former
  retirement month is January 2025 or later: men born in January 1965, women (55) born in January
  1970, women (50) born in January 1975. The annex's 对照表 (附件1 men, 附件2 women 55, 附件3
  women 50) list the same thing band by band: a man born January–April 1965 retires at 60 years
  1 month, in February–May 2025.
- 第二条: the minimum contribution for a monthly pension is 15 years, raised by six months a year
  from 2030-01-01 until it is 20 (附件4: 2030 15.5, … 2039 and after 20). It is the requirement of
  the year one retires in.
- 第三条 弹性: with the minimum contribution met, one may retire up to three years early, never
  below the former age (60, 55, 50); with the employer's agreement, up to three years late.

Months are counted as whole months: the retirement month is the birth month plus the age in months
(born 1965-01, 60 years 1 month: 2025-02), as the tables count. Nothing here reads the database or
the clock: the pages, the API, the roster and the nightly texts all ask this one function.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

FORMER_AGES = (60, 55, 50)
LAW_START = (2025, 1)  # the first month whose retirements the law puts off
RAISE_FROM = 2030  # the first year whose minimum contribution is more than 15 years


@dataclasses.dataclass(frozen=True)
class Rule:
    former_age: int
    every: int  # months of birth for each month of delay
    most: int  # the most months of delay (to 63, 58 or 55)


RULES = {60: Rule(60, 4, 36), 55: Rule(55, 4, 36), 50: Rule(50, 2, 60)}


def month_index(year: int, month: int) -> int:
    """A month as a count of months (year 0, January = 0), so that months add and compare."""
    return year * 12 + month - 1


def month_of(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def first_birth(former_age: int) -> tuple[int, int]:
    """The first birth month the law affects: whose former retirement month is January 2025."""
    return LAW_START[0] - former_age, LAW_START[1]


def delay_months(*, birth: tuple[int, int], former_age: int) -> int:
    """How many months the law puts the retirement off (0 for those born before it applies)."""
    rule = RULES[former_age]
    since = month_index(*birth) - month_index(*first_birth(former_age))
    if since < 0:
        return 0
    return min(since // rule.every + 1, rule.most)


def min_contribution_months(year: int) -> int:
    """The minimum contribution for a monthly pension of someone retiring in `year`, in months:
    180 until 2029, six more each year from 2030, 240 from 2039."""
    return min(180 + 6 * max(0, year - RAISE_FROM + 1), 240)


@dataclasses.dataclass(frozen=True)
class Retirement:
    """One person's retirement under the law: ages in months, months as (year, month)."""

    birth: tuple[int, int]
    former_age: int
    delay: int  # months the law adds to the former age
    age: int  # the statutory retirement age, in months
    month: tuple[int, int]  # the month one reaches it
    min_contribution: int  # months, of the year of `month`
    earliest_age: int  # 弹性提前: up to 36 months earlier, never below the former age
    earliest_month: tuple[int, int]
    earliest_min_contribution: int  # months, of the year of `earliest_month`
    latest_age: int  # 弹性延迟: up to 36 months later, with the employer's agreement
    latest_month: tuple[int, int]

    @property
    def age_years(self) -> int:
        return self.age // 12

    @property
    def age_months(self) -> int:
        return self.age % 12

    @property
    def min_contribution_years(self) -> Decimal:
        """The minimum contribution in years: 15, 15.5, … 20 (always a whole number of half years)."""
        return Decimal(self.min_contribution) / 12

    @property
    def affected(self) -> bool:
        return self.delay > 0

    def months_before(self, months: int) -> tuple[int, int]:
        """The month `months` before the retirement month (when applications open: the law does not
        say; each bureau does, `pensions.calculator.applications_open`)."""
        return month_of(month_index(*self.month) - months)


def statutory_retirement(*, birth_year: int, birth_month: int, former_age: int) -> Retirement:
    """The statutory retirement age and month of someone born in that month whose former retirement
    age was 60 (men), 55 or 50 (women), with the minimum contribution and the 弹性 window."""
    if former_age not in RULES:
        raise ValueError(f"former_age must be one of {FORMER_AGES}, not {former_age!r}")
    if not 1 <= birth_month <= 12:
        raise ValueError(f"birth_month must be 1 to 12, not {birth_month!r}")
    birth = (birth_year, birth_month)
    born = month_index(*birth)
    delay = delay_months(birth=birth, former_age=former_age)
    age = former_age * 12 + delay
    earliest = max(former_age * 12, age - 36)
    latest = age + 36
    month = month_of(born + age)
    earliest_month = month_of(born + earliest)
    return Retirement(
        birth=birth,
        former_age=former_age,
        delay=delay,
        age=age,
        month=month,
        min_contribution=min_contribution_months(month[0]),
        earliest_age=earliest,
        earliest_month=earliest_month,
        earliest_min_contribution=min_contribution_months(earliest_month[0]),
        latest_age=latest,
        latest_month=month_of(born + latest),
    )


def former_age_of(*, sex: str, recorded: int | None = None) -> int:
    """The former retirement age of a person of the registry: men 60; women 50 (the former age of
    women workers) unless 55 was recorded (cadres and women in managerial or technical posts)."""
    if sex == "M":
        return 60
    return recorded if recorded in (50, 55) else 50


def births_retiring_between(*, former_age: int, first: int, last: int) -> tuple[int, int] | None:
    """The birth months (as month indexes, first and last) of those whose statutory retirement month
    lies between the month indexes `first` and `last`, both included; None when nobody's does. The
    retirement month grows with the birth month (strictly: a month later born, a month or more
    later retired), so they are one run of months."""
    base = former_age * 12
    candidates = [
        born
        for born in range(first - base - RULES[former_age].most, last - base + 1)
        if first <= born + base + delay_months(birth=month_of(born), former_age=former_age) <= last
    ]
    return (candidates[0], candidates[-1]) if candidates else None
