"""Promised dates kept, counted honestly: cases closed by their promised date over every case that
was due (closed in the month, or overdue and still open at its end), the same in the dashboard, its
charts and the monthly workbook; every town served is there, those with nothing due as "no cases"."""

import datetime
from io import BytesIO

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from linju.cases.models import Case
from linju.conftest_world import at
from linju.geo.tests.factories import TownFactory
from linju.insights.reports import monthly_report_xlsx
from linju.insights.selectors import Rate, dashboard
from linju.insights.tests.conftest import NOVEMBER, TODAY, case
from linju.insights.views import _charts

D = datetime.date


@given(closed=st.integers(0, 5000), kept=st.integers(0, 5000), overdue=st.integers(0, 5000))
def test_a_rate_is_100_only_when_every_case_due_was_kept(closed, kept, overdue):
    kept = min(kept, closed)
    rate = Rate("", closed, kept, overdue=overdue)
    assert rate.due == closed + overdue
    if rate.due == 0:
        assert rate.rate is None and rate.share is None
    else:
        assert 0 <= rate.rate <= 100
        assert (rate.rate == 100) == (kept == closed + overdue)
        assert rate.share == kept / (closed + overdue)


def overdue_town(counted_november, n: int):
    """东溪镇 with n more cases overdue and still open, beside its two closed in November (one kept)."""
    for _i in range(n):
        case(
            counted_november,
            town=counted_november.dongxi,
            item=counted_november.ui,
            channel="counter",
            applicant=counted_november.zhou,
            accepted=at(2026, 11, 2),
            promised=D(2026, 11, 9),
            taken_at_point=counted_november.hall,
        )


def test_a_town_with_overdue_cases_never_shows_100_per_cent(counted_november):
    # its one closed case kept, and 14 overdue: 1 of 15, not 100 % of 1
    Case.objects.filter(town=counted_november.dongxi, promised_date=D(2026, 10, 27)).delete()
    overdue_town(counted_november, 14)
    board = dashboard(viewer=counted_november.staff, period=NOVEMBER, today=TODAY)
    row = next(r for r in board.town_rows if r.town == counted_november.dongxi)
    assert (row.kept.kept, row.kept.total, row.kept.overdue, row.kept.due) == (1, 1, 14, 15)
    assert row.kept.rate == 6.7
    charts = _charts(board)["kept_by_town"]
    at_dongxi = charts["labels"].index("东溪镇")
    assert (charts["values"][at_dongxi], charts["kept"][at_dongxi], charts["due"][at_dongxi]) == (6.7, 1, 15)
    # the whole: 2 kept of 4 closed + 1 overdue in 永新镇 + 14 in 东溪镇
    assert (board.kept.kept, board.kept.due, board.overdue_now) == (2, 3 + 15, 15)


def test_towns_with_no_cases_are_drawn_as_no_cases(counted_november):
    quiet = TownFactory(code="500110112000", name="三角镇", bureau=counted_november.yongxin.bureau)
    board = dashboard(viewer=counted_november.staff, period=NOVEMBER, today=TODAY)
    assert [r.town.name for r in board.town_rows] == ["东溪镇", "三角镇", "永新镇"]
    row = next(r for r in board.town_rows if r.town == quiet)
    assert (row.kept.due, row.kept.rate) == (0, None)
    charts = _charts(board)
    for name in ("kept_by_town", "satisfaction"):
        assert charts[name]["labels"] == ["东溪镇", "三角镇", "永新镇"], name
        assert charts[name]["values"][1] is None and charts[name]["none"], name


def test_the_workbook_counts_the_rate_as_the_dashboard_does(counted_november):
    overdue_town(counted_november, 3)
    board = dashboard(viewer=counted_november.staff, period=NOVEMBER, today=TODAY)
    book = load_workbook(
        BytesIO(monthly_report_xlsx(viewer=counted_november.staff, period=NOVEMBER, today=TODAY))
    )
    towns = {row[0].value: [c.value for c in row] for row in book["按镇街"].iter_rows(min_row=2)}
    for row in board.town_rows:
        # town, closed, kept, overdue at month end, rate kept, ...
        assert towns[row.town.name][1:5] == [row.kept.total, row.kept.kept, row.kept.overdue, row.kept.share]
    dongxi = towns["东溪镇"]
    assert dongxi[1:5] == [2, 1, 3, 0.2]
    grand = [c.value for c in list(book.active.iter_rows())[-1]]
    assert grand[7] == board.kept.share == 2 / 8
    assert "超期未办结的件算作未按期" in book.active["A2"].value


def test_the_page_shows_each_rate_with_its_numerator_and_denominator_and_says_how_it_is_counted(
    client, counted_november
):
    TownFactory(code="500110112000", name="三角镇", bureau=counted_november.yongxin.bureau)
    overdue_town(counted_november, 14)
    client.force_login(counted_november.leader)
    page = client.get("/staff/insights/?month=2026-11", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "按期办结率 = 按承诺日期办结的件数" in page
    # 东溪镇: 1 kept of 2 closed + 14 overdue
    assert "6.2%</span> <small>(1/16)</small>" in page
    assert "无办件" in page  # 三角镇
    # a past month: the two cases still open past their promise at its end count too
    assert "应办结 20 件,按期 2 件(本月办结 4 件,超期未办结 16 件)" in page
    assert "84.2% <small>(16/19)</small>" in page  # taken at the counter: 16 of the 19 taken in November


def test_a_month_not_begun_has_nothing_overdue_yet(counted_november):
    from linju.insights.selectors import Period

    board = dashboard(viewer=counted_november.staff, period=Period.month(2026, 12), today=TODAY)
    assert (board.kept.due, board.kept.rate) == (0, None)
    assert [(r.label, r.overdue) for r in board.trend][-2:] == [("2026-11", 1), ("2026-12", 0)]
