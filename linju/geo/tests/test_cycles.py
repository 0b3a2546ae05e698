import datetime

import pytest

from linju.geo.cycles import CycleError, market_days, parse_cycle

D = datetime.date


def days_in(text, start, end):
    return [d.day for d in market_days(parse_cycle(text), start, end)]


@pytest.mark.parametrize(
    ("text", "kind", "values", "lunar"),
    [
        ("逢一四七", "endings", {1, 4, 7}, False),
        ("逢二、五、八", "endings", {2, 5, 8}, False),
        ("农历逢三六九", "endings", {3, 6, 9}, True),
        ("逢五逢十", "endings", {5, 0}, False),
        ("逢1、4、7", "endings", {1, 4, 7}, False),
        ("单日", "odd", set(), False),
        ("农历双日", "even", set(), True),
        ("每周三", "weekdays", {2}, False),
        ("周二周五", "weekdays", {1, 4}, False),
        ("星期一、四", "weekdays", {0, 3}, False),
    ],
)
def test_parse(text, kind, values, lunar):
    cycle = parse_cycle(text)
    assert (cycle.kind, set(cycle.values), cycle.lunar) == (kind, values, lunar)


@pytest.mark.parametrize("text", ["", "每天", "逢", "逢一X", "农历每周三", "三天一次"])
def test_refuse_with_a_message(text):
    with pytest.raises(CycleError) as error:
        parse_cycle(text)
    assert error.value.field == "cycle"
    assert "逢一四七" in error.value.text()


def test_endings_in_a_31_day_month_skip_the_31st():
    assert days_in("逢一四七", D(2026, 1, 1), D(2026, 1, 31)) == [1, 4, 7, 11, 14, 17, 21, 24, 27]
    assert days_in("单日", D(2026, 1, 25), D(2026, 2, 3)) == [25, 27, 29, 1, 3]


def test_february_has_no_29th_or_30th():
    assert days_in("逢三六九", D(2026, 2, 20), D(2026, 3, 3)) == [23, 26, 3]
    assert days_in("逢五逢十", D(2026, 2, 20), D(2026, 3, 5)) == [20, 25, 5]


def test_across_a_year_end():
    assert days_in("逢二五八", D(2026, 12, 20), D(2027, 1, 8)) == [22, 25, 28, 2, 5, 8]
    assert days_in("每周三", D(2026, 12, 28), D(2027, 1, 7)) == [30, 6]


def test_lunar_cycle_and_a_29_day_lunar_month():
    # Lunar 2026 正月 begins on 17 February: every market day falls on a lunar 5th, 10th, …
    days = market_days(parse_cycle("农历逢五逢十"), D(2026, 2, 17), D(2026, 3, 20))
    from lunar_python import Solar

    lunar_days = [Solar.fromYmd(d.year, d.month, d.day).getLunar().getDay() for d in days]
    assert set(lunar_days) <= {5, 10, 15, 20, 25, 30}
    assert all(ld % 5 == 0 for ld in lunar_days)


def test_leap_lunar_month_counts_like_any_other():
    # 2025 has 闰六月: Jul 25 (闰六月初一) – Aug 22 (闰六月廿九, a 29-day month, no 30th).
    days = market_days(parse_cycle("农历逢三六九"), D(2025, 7, 20), D(2025, 8, 26))
    assert D(2025, 7, 27) in days  # 闰六月初三
    assert D(2025, 8, 22) in days  # 闰六月廿九
    assert D(2025, 8, 25) in days  # 七月初三


def test_lunar_tenth_of_a_29_day_month_does_not_happen():
    # 闰六月 2025 has 29 days: no 三十, so 逢十 gives 初十 and 二十 only in that month.
    days = market_days(parse_cycle("农历逢十"), D(2025, 7, 25), D(2025, 8, 22))
    assert days == [D(2025, 8, 3), D(2025, 8, 13)]


def test_span_is_limited():
    from linju.core.errors import DomainError

    with pytest.raises(DomainError):
        market_days(parse_cycle("单日"), D(2026, 1, 1), D(2027, 6, 1))
