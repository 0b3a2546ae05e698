"""Properties of the retirement function over every birth month from 1950 to 2000, each former age."""

from hypothesis import given
from hypothesis import strategies as st

from linju.pensions.law import (
    FORMER_AGES,
    RULES,
    births_retiring_between,
    month_index,
    month_of,
    statutory_retirement,
)

births = st.tuples(st.integers(1950, 2000), st.integers(1, 12))
former_ages = st.sampled_from(FORMER_AGES)


def _retire(birth, former):
    return statutory_retirement(birth_year=birth[0], birth_month=birth[1], former_age=former)


@given(births, former_ages)
def test_bounded_between_the_former_age_and_the_top(birth, former):
    r = _retire(birth, former)
    assert former * 12 <= r.age <= {60: 63, 55: 58, 50: 55}[former] * 12
    assert month_index(*r.month) == month_index(*birth) + r.age


@given(births, former_ages)
def test_nobody_whose_former_retirement_came_before_2025_is_affected(birth, former):
    """Put another way than the function does: the months from January 2025 to the former
    retirement month, one month of delay for each started run of 4 (2) of them."""
    former_month = month_index(birth[0] + former, birth[1])
    since = former_month - month_index(2025, 1)
    r = _retire(birth, former)
    if since < 0:
        assert r.delay == 0 and r.month == (birth[0] + former, birth[1])
    else:
        assert r.delay == min(since // RULES[former].every + 1, RULES[former].most)


@given(births, former_ages)
def test_a_month_later_born_retires_one_or_two_months_later(birth, former):
    later = month_of(month_index(*birth) + 1)
    a, b = _retire(birth, former), _retire(later, former)
    assert b.age - a.age in (0, 1)
    assert month_index(*b.month) - month_index(*a.month) in (1, 2)
    assert b.min_contribution >= a.min_contribution


@given(births, former_ages)
def test_the_flexible_window(birth, former):
    r = _retire(birth, former)
    assert r.earliest_age == max(former * 12, r.age - 36)
    assert former * 12 <= r.earliest_age <= r.age < r.latest_age == r.age + 36
    assert month_index(*r.earliest_month) - month_index(*birth) == r.earliest_age
    assert r.earliest_min_contribution <= r.min_contribution
    assert month_index(*r.month) - month_index(*r.months_before(6)) == 6


@given(births, former_ages)
def test_minimum_contribution_is_15_to_20_years_in_half_years(birth, former):
    r = _retire(birth, former)
    assert 180 <= r.min_contribution <= 240 and r.min_contribution % 6 == 0
    assert r.min_contribution == 180 if r.month[0] < 2030 else r.min_contribution > 180


def test_every_birth_month_steps_as_the_law_says():
    """Over every birth month 1950–2000: each month of delay is held by exactly 4 (men, women 55) or
    2 (women 50) consecutive birth months until the top, which comes once and stays."""
    for former in FORMER_AGES:
        rule = RULES[former]
        runs: dict[int, int] = {}
        previous = None
        for index in range(month_index(1950, 1), month_index(2000, 12) + 1):
            r = _retire(month_of(index), former)
            runs[r.delay] = runs.get(r.delay, 0) + 1
            if previous is not None:
                assert r.delay - previous in (0, 1)
            previous = r.delay
        assert sorted(runs) == list(range(rule.most + 1))
        assert all(runs[d] == rule.every for d in range(1, rule.most))
        top = month_index(2025 - former, 1) + (rule.most - 1) * rule.every
        assert month_of(top) == {60: (1976, 9), 55: (1981, 9), 50: (1984, 11)}[former]


@given(st.integers(2020, 2050), st.integers(1, 12), st.integers(0, 24), former_ages)
def test_births_retiring_between_is_exactly_those_who_do(year, month, span, former):
    first = month_index(year, month)
    last = first + span
    found = births_retiring_between(former_age=former, first=first, last=last)
    expected = [
        b
        for b in range(first - former * 12 - 61, last - former * 12 + 1)
        if first <= month_index(*_retire(month_of(b), former).month) <= last
    ]
    assert found == ((expected[0], expected[-1]) if expected else None)
    if expected:
        assert expected == list(range(expected[0], expected[-1] + 1))
