"""Market cycles, written the way people say them, and the market days they give.

Forms understood (spaces and punctuation ignored):
- day endings: 逢一四七, 逢二五八, 逢三六九, 逢五逢十, 逢1、4、7 — the market meets on the days of
  the month ending in those digits; 十 (or 0) is the 10th, 20th and 30th;
- 单日 / 双日: odd or even days of the month;
- weekdays: 每周三, 周二周五, 星期一、四;
- any of the first two after 农历 (or 阴历): the same, counted in lunar months (lunar-python);
  公历/阳历 is the default.

The rules at a month's end, chosen once and tested:
- The 31st is never a market day: a rhythm of every three days (or every other day) restarts on
  the 1st, and a 31st would put two market days side by side (31 and 1).
- A day the month does not have does not happen: 逢三六九 has no 29th in a 28-day February, and
  逢十 has no 30th in a lunar month of 29 days.
- A leap lunar month (闰月) is a month like any other: its days count by their own numbers.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from lunar_python import Solar

from linju.core.errors import DomainError

DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 0,
    "〇": 0,
    "零": 0,
}
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
MAX_SPAN_DAYS = 400


class CycleError(DomainError):
    code = "invalid_cycle"


@dataclass(frozen=True)
class Cycle:
    lunar: bool
    kind: str  # "endings", "odd", "even", "weekdays"
    values: frozenset[int]  # endings 0–9, or weekdays 0 (Monday) – 6

    def meets_on_day_of_month(self, day: int) -> bool:
        if day == 31:
            return False
        if self.kind == "endings":
            return day % 10 in self.values
        if self.kind == "odd":
            return day % 2 == 1
        if self.kind == "even":
            return day % 2 == 0
        raise ValueError(self.kind)


def _refuse(text: str) -> CycleError:
    return CycleError(
        _(
            "“%(text)s” is not a market cycle we can read. Write it like 逢一四七, 农历逢三六九, 单日, 双日 or 每周三."
        ),
        params={"text": text[:30]},
        field="cycle",
    )


@lru_cache(maxsize=256)
def parse_cycle(text: str) -> Cycle:
    raw = text
    text = re.sub(r"[\s,,、;;。/和及]+", "", text)
    lunar = False
    for prefix, is_lunar in (("农历", True), ("阴历", True), ("公历", False), ("阳历", False)):
        if text.startswith(prefix):
            lunar, text = is_lunar, text[len(prefix) :]
            break
    if text in ("单日", "单号", "逢单"):
        return Cycle(lunar, "odd", frozenset())
    if text in ("双日", "双号", "逢双"):
        return Cycle(lunar, "even", frozenset())
    match = re.fullmatch(
        r"(?:每)?(?:周|星期|礼拜)([一二三四五六日天]+)((?:(?:周|星期|礼拜)?[一二三四五六日天])*)", text
    )
    if match and not lunar:
        days = re.sub(r"周|星期|礼拜", "", match.group(1) + match.group(2))
        return Cycle(False, "weekdays", frozenset(WEEKDAYS[d] for d in days))
    if text.startswith("逢"):
        body = text.replace("逢", "")
        if body and all(ch in DIGITS or ch.isdigit() for ch in body):
            endings = frozenset(DIGITS[ch] if ch in DIGITS else int(ch) % 10 for ch in body)
            return Cycle(lunar, "endings", endings)
    raise _refuse(raw)


def _lunar_day(day: datetime.date) -> int:
    return Solar.fromYmd(day.year, day.month, day.day).getLunar().getDay()


def is_market_day(cycle: Cycle, day: datetime.date) -> bool:
    if cycle.kind == "weekdays":
        return day.weekday() in cycle.values
    return cycle.meets_on_day_of_month(_lunar_day(day) if cycle.lunar else day.day)


def market_days(cycle: Cycle, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    if end < start:
        raise DomainError(_("The end date is before the start date."), field="to")
    if (end - start).days > MAX_SPAN_DAYS:
        raise DomainError(_("Ask for at most 400 days at a time."), field="to")
    days = []
    day = start
    while day <= end:
        if is_market_day(cycle, day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def validate_cycle(value: str) -> None:
    """Model-field validator: the cycle must parse (an empty cycle means the market is not on a cycle)."""
    from django.core.exceptions import ValidationError

    if value:
        try:
            parse_cycle(value)
        except CycleError as error:
            raise ValidationError(error.text()) from None
