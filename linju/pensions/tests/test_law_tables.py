"""The retirement function against every entry of the law's comparison tables (对照表) that could be
found, and against the minimum-contribution table.

The annex itself (附件1 男职工, 附件2 原法定退休年龄五十五周岁的女职工, 附件3 原法定退休年龄五十周岁的
女职工延迟法定退休年龄对照表, 附件4 提高最低缴费年限情况表; the annexes' names as a stored copy of the
decision lists them: http://y866.cn/tech/202409/763487.html) was not in the stored public material as
text (its tables are published as images). What was found, each entry below tagged with its source:

- POLICY: ../shared/POLICY.md, "Worked example from the official table": a man born January–April
  1965 retires at 60 years 1 month, February–May 2025 (附件1, first row).
- TXNL: http://www.tuixiunianling.cc/tuixiu/1986.html and …/2009.html, a month-by-month transcription
  of the tables (men; women formerly 50) with the minimum contribution: everyone born in 1986 and
  2009 is at the last step (63, 55) and needs 20 years.
- RUST: alieismy/Rust-Professional-new, exercises/hard/solutiont5/src/retirement.rs, the course's
  ten cases ("1971-04 原法定退休年龄55周岁女职工 → 2026-08, 55.33, 4" …).
- SEED: stored public code (find_string "verificationSamples", file id 56048458164): the rules'
  verification samples (the first and last birth month of each table) and the minimum-contribution
  table by retirement year (2025–2029 15 years, 2030 15½ … 2039 and after 20).
- NODES: stored public code (id 67618870715) "国办发〔2025〕5号附表节点核对": the table's band edges.
- PLAN: stored public code (id 71012390783), a planner's test of the table's band edges.
- PYTEST: stored public code (id 54339173266), a pytest of ages and retirement months.
- SELF: stored public code (ids 68620370365, 68475155680), the self-check in a calculator's comment.
- FIXED: stored public code (id 69430920077), "国办发〔2025〕5号附表：基准月的当月起即延迟 1 个月",
  written beside the fix of a calculator that had each band's first month a month short.
- BTEST: stored public code (id 11631062730), the tests of BANDS' module.
- BANDS: stored public code (id 11065480765), a band table of ages (male_worker, female_cadre,
  female_worker). Its ages are used; its months are not (it adds a month more than the law's tables:
  1965-01 → 2025-03, against POLICY's 2025-02). Its last row of each table lumps a whole birth year
  at the top age (1976 → 63, 1981 → 58, 1984 → 55); only the months of that year at the top by the
  law's own rule (men from 1976-09, women 55 from 1981-09, women 50 from 1984-11, as NODES, PLAN,
  SELF and PYTEST say) are taken: `test_bands_lumped_rows_disagree_with_the_law_before_the_top`
  shows the rest.
"""

import pytest

from linju.pensions.law import min_contribution_months, statutory_retirement

# (source, former age, birth month, age years, age months, retirement month or None)
ENTRIES = [
    # POLICY: 附件1's first row, both ends of its band
    ("POLICY", 60, "1965-01", 60, 1, "2025-02"),
    ("POLICY", 60, "1965-02", 60, 1, "2025-03"),
    ("POLICY", 60, "1965-03", 60, 1, "2025-04"),
    ("POLICY", 60, "1965-04", 60, 1, "2025-05"),
    # RUST
    ("RUST", 55, "1971-04", 55, 4, "2026-08"),
    ("RUST", 50, "1995-12", 55, 0, "2050-12"),
    ("RUST", 60, "1995-12", 63, 0, "2058-12"),
    ("RUST", 55, "2000-12", 58, 0, "2058-12"),
    ("RUST", 60, "2000-12", 63, 0, "2063-12"),
    ("RUST", 60, "1965-12", 60, 3, "2026-03"),
    ("RUST", 60, "1963-12", 60, 0, "2023-12"),
    ("RUST", 55, "1963-04", 55, 0, "2018-04"),
    ("RUST", 60, "1964-02", 60, 0, "2024-02"),
    ("RUST", 60, "1965-01", 60, 1, "2025-02"),
    # SEED
    ("SEED", 60, "1965-01", 60, 1, "2025-02"),
    ("SEED", 60, "1976-12", 63, 0, "2039-12"),
    ("SEED", 55, "1970-01", 55, 1, "2025-02"),
    ("SEED", 55, "1981-12", 58, 0, "2039-12"),
    ("SEED", 50, "1975-01", 50, 1, "2025-02"),
    ("SEED", 50, "1984-12", 55, 0, "2039-12"),
    # NODES
    ("NODES", 60, "1964-12", 60, 0, None),
    ("NODES", 60, "1965-01", 60, 1, None),
    ("NODES", 60, "1965-04", 60, 1, None),
    ("NODES", 60, "1965-05", 60, 2, None),
    ("NODES", 60, "1965-08", 60, 2, None),
    ("NODES", 60, "1965-09", 60, 3, None),
    ("NODES", 60, "1965-12", 60, 3, None),
    ("NODES", 60, "1966-01", 60, 4, None),
    ("NODES", 60, "1976-08", 62, 11, None),
    ("NODES", 60, "1976-09", 63, 0, None),
    ("NODES", 60, "1980-01", 63, 0, None),
    ("NODES", 55, "1970-01", 55, 1, None),
    ("NODES", 55, "1970-05", 55, 2, None),
    ("NODES", 55, "1981-09", 58, 0, None),
    ("NODES", 55, "1970-01", 55, 1, None),  # its "灵活就业女" rows: the same table (women 55)
    ("NODES", 55, "1981-09", 58, 0, None),
    # FIXED
    ("FIXED", 60, "1965-01", 60, 1, None),
    ("FIXED", 60, "1965-05", 60, 2, None),
    ("FIXED", 60, "1976-09", 63, 0, None),
    # BTEST
    ("BTEST", 60, "1965-01", 60, 1, None),
    ("BTEST", 60, "1965-06", 60, 2, None),
    ("BTEST", 60, "1980-05", 63, 0, None),
    ("BTEST", 55, "1970-02", 55, 1, None),
    ("BTEST", 55, "1985-03", 58, 0, None),
    ("BTEST", 50, "1975-01", 50, 1, None),
    ("BTEST", 50, "1990-06", 55, 0, None),
    # PLAN
    ("PLAN", 60, "1964-12", 60, 0, None),
    ("PLAN", 60, "1965-01", 60, 1, None),
    ("PLAN", 60, "1965-04", 60, 1, None),
    ("PLAN", 60, "1965-05", 60, 2, None),
    ("PLAN", 60, "1976-08", 62, 11, None),
    ("PLAN", 60, "1976-09", 63, 0, None),
    ("PLAN", 60, "1990-06", 63, 0, None),
    ("PLAN", 55, "1969-12", 55, 0, None),
    ("PLAN", 55, "1970-01", 55, 1, None),
    ("PLAN", 55, "1970-05", 55, 2, None),
    ("PLAN", 55, "1981-08", 57, 11, None),
    ("PLAN", 55, "1981-09", 58, 0, None),
    ("PLAN", 50, "1974-12", 50, 0, None),
    ("PLAN", 50, "1975-01", 50, 1, None),
    ("PLAN", 50, "1975-02", 50, 1, None),
    ("PLAN", 50, "1975-03", 50, 2, None),
    ("PLAN", 50, "1984-11", 55, 0, None),
    ("PLAN", 50, "1984-12", 55, 0, None),
    ("PLAN", 50, "1990-01", 55, 0, None),
    # PYTEST
    ("PYTEST", 60, "1964-12", 60, 0, "2024-12"),
    ("PYTEST", 60, "1965-01", 60, 1, "2025-02"),
    ("PYTEST", 60, "1965-04", 60, 1, "2025-05"),
    ("PYTEST", 60, "1965-05", 60, 2, "2025-07"),
    ("PYTEST", 60, "1976-12", 63, 0, "2039-12"),
    ("PYTEST", 55, "1969-12", 55, 0, "2024-12"),
    ("PYTEST", 55, "1970-01", 55, 1, "2025-02"),
    ("PYTEST", 55, "1970-05", 55, 2, "2025-07"),
    ("PYTEST", 55, "1981-12", 58, 0, "2039-12"),
    ("PYTEST", 50, "1974-12", 50, 0, "2024-12"),
    ("PYTEST", 50, "1975-01", 50, 1, "2025-02"),
    ("PYTEST", 50, "1975-03", 50, 2, "2025-05"),
    ("PYTEST", 50, "1975-11", 50, 6, "2026-05"),
    ("PYTEST", 50, "1984-11", 55, 0, "2039-11"),
    # SELF
    ("SELF", 60, "1965-01", 60, 1, None),
    ("SELF", 60, "1976-08", 62, 11, None),
    ("SELF", 60, "1976-09", 63, 0, None),
    ("SELF", 50, "1975-01", 50, 1, None),
    ("SELF", 50, "1984-10", 54, 11, None),
    ("SELF", 50, "1984-11", 55, 0, None),
]

# BANDS: (former age, first birth month, last birth month, age years, age months); ages only
BANDS = [
    (60, "1965-01", "1965-04", 60, 1),
    (60, "1965-05", "1965-08", 60, 2),
    (60, "1965-09", "1965-12", 60, 3),
    (60, "1968-01", "1968-04", 60, 10),
    (60, "1969-01", "1969-04", 61, 1),
    (60, "1970-01", "1970-04", 61, 4),
    (60, "1971-01", "1971-04", 61, 7),
    (60, "1972-01", "1972-04", 61, 10),
    (60, "1973-01", "1973-04", 62, 1),
    (60, "1974-01", "1974-04", 62, 4),
    (60, "1975-01", "1975-04", 62, 7),
    (60, "1976-09", "1976-12", 63, 0),  # of its row 1976-01…1976-12, see the module's docstring
    (55, "1970-01", "1970-04", 55, 1),
    (55, "1970-05", "1970-08", 55, 2),
    (55, "1970-09", "1970-12", 55, 3),
    (55, "1973-01", "1973-04", 55, 10),
    (55, "1974-01", "1974-04", 56, 1),
    (55, "1975-01", "1975-04", 56, 4),
    (55, "1976-01", "1976-04", 56, 7),
    (55, "1977-01", "1977-04", 56, 10),
    (55, "1978-01", "1978-04", 57, 1),
    (55, "1979-01", "1979-04", 57, 4),
    (55, "1980-01", "1980-04", 57, 7),
    (55, "1981-09", "1981-12", 58, 0),  # of its row 1981-01…1981-12
    (50, "1975-01", "1975-02", 50, 1),
    (50, "1975-03", "1975-04", 50, 2),
    (50, "1976-01", "1976-02", 50, 7),
    (50, "1977-01", "1977-02", 51, 1),
    (50, "1978-01", "1978-02", 51, 7),
    (50, "1979-01", "1979-02", 52, 1),
    (50, "1980-01", "1980-02", 52, 7),
    (50, "1981-01", "1981-02", 53, 1),
    (50, "1982-01", "1982-02", 53, 7),
    (50, "1983-01", "1983-02", 54, 1),
    (50, "1984-11", "1984-12", 55, 0),  # of its row 1984-01…1984-12
]

# SEED's table of the minimum contribution by the year of retirement, in years
MINIMUM_YEARS = {
    2025: 15, 2026: 15, 2027: 15, 2028: 15, 2029: 15, 2030: 15.5, 2031: 16, 2032: 16.5,
    2033: 17, 2034: 17.5, 2035: 18, 2036: 18.5, 2037: 19, 2038: 19.5, 2039: 20, 2040: 20, 2060: 20,
}  # fmt: skip


def _ym(text: str) -> tuple[int, int]:
    year, month = text.split("-")
    return int(year), int(month)


def _months(first: str, last: str):
    year, month = _ym(first)
    while (year, month) <= _ym(last):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@pytest.mark.parametrize(("source", "former", "birth", "years", "months", "month"), ENTRIES)
def test_agrees_with_each_entry_of_the_tables(source, former, birth, years, months, month):
    year, mon = _ym(birth)
    r = statutory_retirement(birth_year=year, birth_month=mon, former_age=former)
    assert (r.age_years, r.age_months) == (years, months), source
    if month is not None:
        assert r.month == _ym(month), source


@pytest.mark.parametrize("year", [1986, 2009])
def test_agrees_with_every_month_of_a_transcribed_year_at_the_top(year):
    """TXNL: men 63 and women (50) 55 in the same month of the year 63 and 55 years on, 20 years'
    contribution, for every month of 1986 and 2009."""
    for month in range(1, 13):
        man = statutory_retirement(birth_year=year, birth_month=month, former_age=60)
        woman = statutory_retirement(birth_year=year, birth_month=month, former_age=50)
        assert (man.age, man.month, man.delay) == (63 * 12, (year + 63, month), 36)
        assert (woman.age, woman.month, woman.delay) == (55 * 12, (year + 55, month), 60)
        assert man.min_contribution_years == woman.min_contribution_years == 20


@pytest.mark.parametrize(("former", "first", "last", "years", "months"), BANDS)
def test_agrees_with_every_month_of_each_band(former, first, last, years, months):
    for year, month in _months(first, last):
        r = statutory_retirement(birth_year=year, birth_month=month, former_age=former)
        assert (r.age_years, r.age_months) == (years, months), f"{year}-{month:02d}"


def test_bands_lumped_rows_disagree_with_the_law_before_the_top():
    """BANDS puts all of 1976 (men), 1981 (women 55) and 1984 (women 50) at the top age; by the law's
    rule and every other source the top comes in September, September and November."""
    assert statutory_retirement(birth_year=1976, birth_month=1, former_age=60).age == 62 * 12 + 10
    assert statutory_retirement(birth_year=1981, birth_month=1, former_age=55).age == 57 * 12 + 10
    assert statutory_retirement(birth_year=1984, birth_month=1, former_age=50).age == 54 * 12 + 7


@pytest.mark.parametrize(("year", "years"), sorted(MINIMUM_YEARS.items()))
def test_minimum_contribution_by_year_of_retirement(year, years):
    assert min_contribution_months(year) == years * 12


def test_the_minimum_contribution_is_the_retirement_years():
    """A man born 1969-09 reaches 61 years 3 months in 2030-12 (15½ years); born 1969-12, 2031-03
    (16 years): the year of the retirement month decides, not the birth year."""
    r = statutory_retirement(birth_year=1969, birth_month=9, former_age=60)
    assert (r.age_years, r.age_months, r.month) == (61, 3, (2030, 12))
    assert r.min_contribution_years == 15.5
    r = statutory_retirement(birth_year=1969, birth_month=12, former_age=60)
    assert r.month == (2031, 3) and r.min_contribution_years == 16
