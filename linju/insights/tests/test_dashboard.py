"""The dashboard's numbers against a small world counted by hand (November 2026, see conftest)."""

import datetime

import pytest

from linju.cases.models import Case
from linju.conftest_world import at
from linju.core.errors import DomainError
from linju.insights.selectors import Period, dashboard
from linju.insights.tests.conftest import NOVEMBER, TODAY
from linju.outreach.models import Consultation


def test_dashboard_counts_match_the_hand_count(counted_november):
    board = dashboard(viewer=counted_november.staff, period=NOVEMBER, today=TODAY)
    # 2 kept of 5 due: 4 closed and the phone case overdue and still open
    assert (board.kept.total, board.kept.kept, board.kept.overdue, board.kept.rate) == (4, 2, 1, 40.0)
    assert {r.town.code: (r.kept.total, r.kept.kept, r.overdue) for r in board.town_rows} == {
        counted_november.yongxin.code: (2, 1, 1),
        counted_november.dongxi.code: (2, 1, 0),
    }
    assert {r.key: (r.total, r.kept, r.overdue) for r in board.kept_by_item} == {
        "UI-002": (3, 1, 0),
        "MD-005": (1, 1, 1),
    }
    # October: one kept; the home-visit case promised for 27 October was open at its end
    assert [(r.label, r.total, r.kept, r.overdue) for r in board.trend][-2:] == [
        ("2026-10", 1, 1, 1),
        ("2026-11", 4, 2, 1),
    ]
    assert len(board.trend) == 6
    assert board.overdue_now == 1
    assert dict((k, n) for k, _label, n in board.by_channel) == {
        "counter": 2,
        "booth": 1,
        "phone": 1,
        "home_visit": 0,
        "online": 1,
        "offer": 0,
    }
    assert dict((k, n) for k, _label, n in board.by_place) == {
        "district_hall": 1,
        "town_station": 1,
        "market": 1,
        "village": 0,
        "remote": 2,
    }
    assert board.near_home_share == 80.0
    # 120-30 (station) + 120-15 (market) + 40-40 (at the hall) + 120 (phone) + 120 (online)
    assert (board.travel_spared_minutes, board.travel_counted_cases) == (435, 5)
    # the booth case of 3 November was taken on a day the market had no booth: the market's alone
    assert (board.booths_held, board.booth_answered, board.booth_cases) == (1, 2, 0)
    assert board.market_cases_without_booth == 1
    assert board.home_tasks_open == 1
    assert {r.town.code: (r.satisfaction, r.ratings) for r in board.town_rows} == {
        counted_november.yongxin.code: (5.0, 1),
        counted_november.dongxi.code: (3.0, 1),
    }


def test_a_cadre_sees_only_their_town(counted_november):
    board = dashboard(viewer=counted_november.cadre, period=NOVEMBER, today=TODAY)
    assert [r.town.code for r in board.town_rows] == [counted_november.yongxin.code]
    assert (board.kept.total, board.kept.kept, board.overdue_now) == (2, 1, 1)
    with pytest.raises(DomainError):
        dashboard(
            viewer=counted_november.cadre,
            period=NOVEMBER,
            town_code=counted_november.dongxi.code,
            today=TODAY,
        )


def test_town_filter_and_month_parsing(counted_november):
    board = dashboard(
        viewer=counted_november.leader, period=NOVEMBER, town_code=counted_november.dongxi.code, today=TODAY
    )
    assert (board.kept.total, board.kept.kept, board.overdue_now) == (2, 1, 0)
    assert Period.parse("2026-02") == Period(datetime.date(2026, 2, 1), datetime.date(2026, 3, 1))
    assert Period.parse("2026-12").end == datetime.date(2027, 1, 1)
    for bad in ("2026-13", "november", "2026"):
        with pytest.raises(DomainError):
            Period.parse(bad)


def test_dashboard_page_and_drill_down(client, counted_november):
    client.force_login(counted_november.leader)
    page = client.get("/staff/insights/?month=2026-11")
    assert page.status_code == 200
    body = page.content.decode()
    assert "chart-data" in body and "echarts" in body
    # the overdue figure links to the list behind it, which shows that case
    listing = client.get("/staff/cases/?list=overdue")
    assert listing.status_code == 200 and "医疗救助申请" in listing.content.decode()
    late = client.get("/staff/cases/?closed=2026-11&late=1")
    assert late.content.decode().count("/staff/cases/T") == 2
    assert client.get("/staff/insights/?month=2026-99").status_code == 400
    assert client.get("/staff/cases/?closed=nonsense").status_code == 400


def test_questions_answered_at_counters_are_counted_by_the_towns_each_viewer_serves(counted_november):
    """Two questions answered at 永新镇's station in November (one on its last evening, Beijing time),
    one at the district hall counted in 东溪镇, one in December and one turned into a case: not."""
    served = counted_november
    for point, town, moment in (
        (served.station, served.yongxin, at(2026, 11, 3)),
        (served.station, served.yongxin, at(2026, 11, 30, hour=23)),
        (served.hall, served.dongxi, at(2026, 11, 20)),
        (served.station, served.yongxin, at(2026, 12, 1)),
    ):
        Consultation.objects.create(
            bureau=served.yongxin.bureau,
            service_point=point,
            town=town,
            outcome="answered",
            note="问社保转移",
            created_by=served.staff,
            created_at=moment,
        )
    Consultation.objects.create(
        bureau=served.yongxin.bureau,
        service_point=served.station,
        town=served.yongxin,
        outcome="case",
        case=Case.objects.filter(applicant__village__town=served.yongxin).first(),
        created_by=served.staff,
        created_at=at(2026, 11, 4),
    )
    assert dashboard(viewer=served.staff, period=NOVEMBER, today=TODAY).counter_answered == 3
    assert dashboard(viewer=served.cadre, period=NOVEMBER, today=TODAY).counter_answered == 2
    town_board = dashboard(viewer=served.staff, period=NOVEMBER, today=TODAY, town_code=served.dongxi.code)
    assert town_board.counter_answered == 1
