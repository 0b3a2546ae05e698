"""The travel model read from the database, the page, the command, and the demo's 永新镇."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import translation

from linju.conftest_world import ServedTowns
from linju.geo.models import MarketPlace, TravelTime
from linju.outreach.models import TownOutreach
from linju.planning.models import PlanRun
from linju.planning.selectors import figures, planning_area
from linju.planning.services import plan_execute, plan_start


@pytest.fixture
def travel_times(served) -> ServedTowns:
    """荆山村 (1,000 people): 60 min to its station, 15 to 升平; 龙井村 (3,000): 20 min to 东溪's."""
    jingshan, longjing = served.jingshan, served.longjing
    jingshan.population, longjing.population = 1000, 3000
    jingshan.save()
    longjing.save()
    dongxi_station = served.hall.__class__.objects.get(code="station-dx")
    for village, target, minutes in (
        (jingshan, {"service_point": served.station}, 60),
        (jingshan, {"service_point": served.hall}, 120),
        (jingshan, {"market_place": served.market}, 15),
        (longjing, {"service_point": dongxi_station}, 20),
        (longjing, {"service_point": served.hall}, 45),
    ):
        TravelTime.objects.create(village=village, minutes=minutes, mode="walk", source="imported", **target)
    return served


def test_the_measure_by_hand(travel_times):
    area = planning_area(viewer=travel_times.staff)
    assert [m.name for m in area.markets] == ["升平片场"]
    today, proposed = figures(area.instance, []), figures(area.instance, [0])
    # today: (1000×60 + 3000×20) / 4000 = 30; 荆山村 is not within 30, 龙井村 is
    assert (today.mean_minutes, today.within_30, today.within_60, today.people) == (30.0, 75.0, 100.0, 4000)
    # with 升平: (1000×15 + 3000×20) / 4000 = 18.75
    assert (proposed.mean_minutes, proposed.within_30) == (18.8, 100.0)
    assert not area.synthetic


def test_registry_counts_when_no_population_is_entered(travel_times):
    travel_times.jingshan.population = None
    travel_times.jingshan.save()
    area = planning_area(viewer=travel_times.staff)
    jingshan = [v.pk for v in area.villages].index(travel_times.jingshan.pk)
    assert area.instance.population[jingshan] == 1  # 代云峰 is the one registered resident


def test_page_run_and_hand_to_booth_plan(client, travel_times):
    client.force_login(travel_times.leader)
    assert client.get("/staff/planning/").status_code == 200
    response = client.post(
        "/staff/planning/",
        {"budget": 1, "objective": "median", "within": 30, "town_minimum": 0, "method": "auto"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "升平片场" in page and "11.2" in page  # 30 → 18.8 minutes on average
    run = PlanRun.objects.get()
    assert run.gap == 0 and run.used.startswith("exact")
    client.force_login(travel_times.staff)
    client.post(f"/staff/planning/{run.pk}/apply/")
    assert MarketPlace.objects.get(name="升平片场").regular_booth
    assert TownOutreach.objects.get(town=travel_times.yongxin).plans_booths
    assert (
        client.post(
            "/staff/planning/",
            {"budget": -1, "objective": "median", "within": 30, "town_minimum": 0, "method": "auto"},
        ).status_code
        == 400
    )


def test_cadres_do_not_plan(client, travel_times):
    client.force_login(travel_times.cadre)
    assert client.get("/staff/planning/").status_code == 403


def test_fixed_out_and_impossible_requests(travel_times):
    run = plan_execute(run=plan_start(actor=travel_times.staff, budget=1, fixed_out=["market-shengping"]))
    assert run.status == "done" and not run.chosen.exists()
    run = plan_execute(run=plan_start(actor=travel_times.staff, budget=0, fixed_in=["market-shengping"]))
    assert run.status == "failed" and run.error
    # another bureau's market place is as unknown to a planner as one that does not exist
    from linju.core.errors import DomainError

    with pytest.raises(DomainError, match="market-shengping"):
        plan_start(actor=travel_times.ws_staff, budget=1, fixed_in=["market-shengping"])


def test_demo_proposal_for_yongxin_includes_shengping(demo):
    out = io.StringIO()
    call_command("plan_markets", "--budget", "1", "--town", "500110113000", "--user", "qj_staff", stdout=out)
    text = out.getvalue()
    assert "升平片场" in text and "gap to the optimum ≤ 0.00%" in text
    run = PlanRun.objects.latest("created_at")
    assert run.result["proposed"]["mean_minutes"] < run.result["today"]["mean_minutes"]


pytestmark = pytest.mark.django_db


def test_run_page_states_gap_and_chart_labels(client, travel_times):
    run = plan_execute(run=plan_start(actor=travel_times.leader, budget=1))
    client.force_login(travel_times.leader)
    with translation.override("zh-hans"):
        page = client.get(f"/staff/planning/{run.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "这就是最好的方案" in page and '"names"' in page


def test_the_proposal_speaks_a_leaders_words(client, travel_times):
    """No solver words outside the method note; the heading counts the markets chosen; a budget the
    markets cannot use is explained; the map names the towns."""
    run = plan_execute(run=plan_start(actor=travel_times.leader, budget=3))
    client.force_login(travel_times.leader)
    page = client.get(f"/staff/planning/{run.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    shown, note = page.split("计算方法说明")
    for jargon in ("p-中位", "混合整数", "下界", "MILP", "HiGHS", "exact", "greedy"):
        assert jargon not in shown, jargon
    assert "HiGHS" in note or "exact" in note  # kept, in the note
    assert "建议:在 1 个集市设固定摊点" in page
    assert "您允许选 3 个集市,只选了 1 个:其余集市不能再缩短群众到办事地点的路程" in page
    assert "每人平均少走11.2分钟" in page
    assert "\\u6c38\\u65b0\\u9547" in page.split('"towns": [[')[1]  # 永新镇, in the map's data
    form = client.get("/staff/planning/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "p-中位" not in form and "混合整数" not in form and "下界" not in form


def test_the_demo_geography_is_believable(demo):
    """Every station takes a request, so the journey ends at the nearest one;
    the demo's villages lie around their town seat, and most are within an hour of their own
    town's station ("a meal's time"), the district's mean well under an hour."""
    from linju.accounts.models import User
    from linju.geo.models import ServicePoint, Village

    area = planning_area(viewer=User.objects.get(username="qj_staff"))
    today = figures(area.instance, [])
    assert today.mean_minutes < 45 and today.within_60 >= 90
    stations = {p.town_id: p.pk for p in ServicePoint.objects.filter(kind="town_station")}
    own = dict(  # minutes from each village to its own town's station
        TravelTime.objects.filter(
            service_point_id__in=stations.values(),
            village__town__bureau__zone="綦江",
            service_point__town_id=F("village__town_id"),
        ).values_list("village_id", "minutes")
    )
    villages = Village.objects.filter(town__bureau__zone="綦江").count()
    assert sum(1 for m in own.values() if m <= 60) >= 0.8 * villages
