"""The 15-minute job-service circle: its share per town against a count of its own from the travel
table, the proposal of new 零工驿站 on a world where the best places are known, the page and the API."""

import dataclasses

import numpy as np
import pytest
from django.db import connection

from linju.accounts.models import User
from linju.accounts.services import api_token_create
from linju.conftest_world import ServedTowns
from linju.geo.models import MarketPlace, ServicePoint, Town, TravelTime, Village
from linju.geo.tests.factories import MarketPlaceFactory, ServicePointFactory, VillageFactory
from linju.planning import solver
from linju.planning.selectors import (
    JOB_SERVICE_KINDS,
    JOB_SERVICE_MINUTES,
    job_service_area,
    job_service_reach,
    job_station_proposal,
)

pytestmark = pytest.mark.django_db


@dataclasses.dataclass(frozen=True)
class JobServiceWorld(ServedTowns):
    """永新镇: 荆山村 (people as registered: 代云峰 alone) beside its own 家门口就业服务站; 中坝村 (800)
    12 minutes from 升平片场, which has a booth on its market days; 三溪村 (700) and 石龙村 (600) 10 and
    9 minutes from 永新场镇, a market with no booth; 桃子村 (1,200) 40 minutes from everything;
    合作村 (500) and 星光村 (400) 7 and 6 minutes from the town's station. 东溪镇: 龙井村 (3,000) 10
    minutes from the town's 零工驿站; 新华村 (2,000) 30 minutes from it."""

    job_station: ServicePoint  # 荆山村家门口就业服务站
    gig_station: ServicePoint  # 东溪镇零工驿站
    town_market: MarketPlace  # 永新场镇, no booth
    zhongba: Village  # 中坝村, on market days
    sanxi: Village  # 三溪村, near 永新场镇
    shilong: Village  # 石龙村, near 永新场镇
    taozi: Village  # 桃子村, far from all
    hezuo: Village  # 合作村, near the station
    xingguang: Village  # 星光村, near the station
    xinhua: Village  # 新华村, 东溪镇, far


@pytest.fixture
def job_world(served) -> JobServiceWorld:
    yongxin, dongxi = served.yongxin, served.dongxi
    served.jingshan.population = None
    served.jingshan.save()
    served.longjing.population = 3000
    served.longjing.save()
    served.market.cycle = "农历逢一四七"
    served.market.regular_booth = True
    served.market.save()
    villages = {
        name: VillageFactory(town=town, code=f"{town.code[:9]}{serial}", name=name, population=people)
        for serial, (name, town, people) in enumerate(
            (
                ("中坝村", yongxin, 800),
                ("三溪村", yongxin, 700),
                ("石龙村", yongxin, 600),
                ("桃子村", yongxin, 1200),
                ("合作村", yongxin, 500),
                ("星光村", yongxin, 400),
                ("新华村", dongxi, 2000),
            ),
            start=301,
        )
    }
    job_station = ServicePointFactory(
        town=yongxin,
        village=served.jingshan,
        code="job-station-jingshan",
        kind=ServicePoint.Kind.JOB_STATION,
        name="荆山村家门口就业服务站",
        operator=ServicePoint.Operator.PUBLIC,
    )
    gig_station = ServicePointFactory(
        town=dongxi, code="gig-station-dx", kind=ServicePoint.Kind.GIG_STATION, name="东溪镇零工驿站"
    )
    town_market = MarketPlaceFactory(
        town=yongxin, code="market-yx", name="永新场镇", regular_booth=False, cycle="逢二五八"
    )
    station = served.station
    for village, place, minutes in (
        (served.jingshan, job_station, 5),
        (served.jingshan, station, 30),
        (villages["中坝村"], served.market, 12),
        (villages["中坝村"], station, 25),
        (villages["三溪村"], served.market, 20),
        (villages["三溪村"], town_market, 10),
        (villages["石龙村"], town_market, 9),
        (villages["桃子村"], station, 40),
        (villages["桃子村"], town_market, 40),
        (villages["合作村"], station, 7),
        (villages["星光村"], station, 6),
        (served.longjing, gig_station, 10),
        (villages["新华村"], gig_station, 30),
    ):
        target = {"market_place": place} if isinstance(place, MarketPlace) else {"service_point": place}
        TravelTime.objects.create(village=village, minutes=minutes, mode="walk", source="imported", **target)
    return served.grown(
        JobServiceWorld,
        job_station=job_station,
        gig_station=gig_station,
        town_market=town_market,
        zhongba=villages["中坝村"],
        sanxi=villages["三溪村"],
        shilong=villages["石龙村"],
        taozi=villages["桃子村"],
        hezuo=villages["合作村"],
        xingguang=villages["星光村"],
        xinhua=villages["新华村"],
    )


def counted_from_the_travel_table(towns: list[Town]) -> dict[str, tuple[int, int, int]]:
    """(people, within 15 minutes counting markets on their market days, within 15 minutes of a place
    open every day) per town code, by one SQL statement of its own over villages, residents, travel
    times, service points and market places."""
    people = "COALESCE(v.population, (SELECT COUNT(*) FROM people_resident r WHERE r.village_id = v.id))"
    every_day = f"s.kind IN ({', '.join(['%s'] * len(JOB_SERVICE_KINDS))})"
    market_day = "(m.regular_booth = %s AND m.cycle <> '')"

    def reached(condition: str) -> str:
        return (
            f"SUM(CASE WHEN EXISTS (SELECT 1 FROM geo_traveltime t"
            f" LEFT JOIN geo_servicepoint s ON s.id = t.service_point_id"
            f" LEFT JOIN geo_marketplace m ON m.id = t.market_place_id"
            f" WHERE t.village_id = v.id AND t.minutes <= %s AND ({condition}))"
            f" THEN {people} ELSE 0 END)"
        )

    sql = (
        f"SELECT w.code, SUM({people}), {reached(every_day + ' OR ' + market_day)}, {reached(every_day)}"
        f" FROM geo_village v JOIN geo_town w ON w.id = v.town_id"
        f" WHERE v.town_id IN ({', '.join(['%s'] * len(towns))}) GROUP BY w.code"
    )
    kinds = [str(k) for k in JOB_SERVICE_KINDS]
    params = [JOB_SERVICE_MINUTES, *kinds, True, JOB_SERVICE_MINUTES, *kinds, *[t.pk for t in towns]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {code: (int(p), int(r), int(d)) for code, p, r, d in cursor.fetchall()}


def by_town(reach) -> dict[str, tuple[int, int, int]]:
    return {t.code: (t.people, t.reached, t.every_day) for t in reach.towns}


def test_the_share_per_town_by_hand(job_world):
    reach = job_service_reach(viewer=job_world.staff)
    # 永新镇: 1 + 800 + 700 + 600 + 1,200 + 500 + 400 people; 荆山村 any day, 中坝村 on market days
    # 东溪镇: 3,000 + 2,000; 龙井村 any day
    assert by_town(reach) == {"500110113000": (4201, 801, 1), "500110109000": (5000, 3000, 3000)}
    yongxin = reach.towns[1]
    assert (yongxin.name, yongxin.share, yongxin.share_every_day) == ("永新镇", 19.1, 0.0)
    assert (reach.total.people, reach.total.reached, reach.total.share) == (9201, 3801, 41.3)
    assert reach.places == {"job_station": 1, "gig_station": 1, "market": 1}
    assert not reach.synthetic


def test_the_share_per_town_equals_a_count_of_the_travel_table(job_world):
    reach = job_service_reach(viewer=job_world.staff)
    assert by_town(reach) == counted_from_the_travel_table([job_world.yongxin, job_world.dongxi])


def test_the_demo_share_per_town_equals_a_count_of_the_travel_table(demo):
    staff = User.objects.get(username="qj_staff")
    reach = job_service_reach(viewer=staff)
    towns = list(Town.objects.filter(bureau_id=staff.bureau_id))
    assert len(reach.towns) == len(towns) == 21
    assert by_town(reach) == counted_from_the_travel_table(towns)
    # the demo's places are there and reach people, some only on market days
    assert (
        reach.places["gig_market"] == 1
        and reach.places["gig_station"] >= 3
        and reach.places["job_station"] >= 3
    )
    assert 0 < reach.total.every_day < reach.total.reached < reach.total.people and reach.synthetic


def test_a_market_counts_only_with_a_booth_and_market_days(job_world):
    MarketPlace.objects.filter(pk=job_world.market.pk).update(cycle="")
    assert by_town(job_service_reach(viewer=job_world.staff))["500110113000"] == (4201, 1, 1)
    MarketPlace.objects.filter(pk=job_world.town_market.pk).update(regular_booth=True)
    # 永新场镇 now holds a booth on its market days: 三溪村 and 石龙村 are within reach
    assert by_town(job_service_reach(viewer=job_world.staff))["500110113000"] == (4201, 1301, 1)


def test_each_viewer_sees_the_towns_they_serve(job_world):
    assert [t.name for t in job_service_reach(viewer=job_world.cadre).towns] == ["永新镇"]
    assert [t.name for t in job_service_reach(viewer=job_world.dongxi_cadre).towns] == ["东溪镇"]
    assert [t.name for t in job_service_reach(viewer=job_world.ws_staff).towns] == ["南桐镇"]
    assert [t.name for t in job_service_reach(viewer=job_world.leader, town_code="500110109000").towns] == [
        "东溪镇"
    ]
    from linju.core.errors import DomainError

    with pytest.raises(DomainError):
        job_service_reach(viewer=job_world.cadre, town_code="500110109000")


def sites(proposal) -> list[tuple[str, int, set[str]]]:
    return [(s.site.name, s.people, {name for name, _ in s.villages}) for s in proposal.sites]


def test_one_new_station_goes_where_it_reaches_most(job_world):
    """永新场镇 reaches 三溪村 and 石龙村 (1,300), more than 桃子村 alone (1,200) or the station's two
    villages (900)."""
    proposal = job_station_proposal(viewer=job_world.cadre, count=1)
    assert sites(proposal) == [("永新场镇", 1300, {"三溪村", "石龙村"})]
    assert proposal.sites[0].site.kind == "market"
    assert (proposal.reached_before, proposal.reached_after, proposal.newly) == (801, 2101, 1300)
    assert (proposal.share_before, proposal.share_after, proposal.best) == (19.1, 50.0, True)


def test_two_then_three_new_stations(job_world):
    two = job_station_proposal(viewer=job_world.cadre, count=2)
    assert sites(two) == [("永新场镇", 1300, {"三溪村", "石龙村"}), ("桃子村", 1200, {"桃子村"})]
    three = job_station_proposal(viewer=job_world.cadre, count=3)
    # the third reaches 合作村 and 星光村 together: from the station, or from either village through it
    # (7 + 6 = 13 minutes)
    assert sites(three)[:2] == sites(two)
    assert sites(three)[2][1:] == (900, {"合作村", "星光村"})
    assert sites(three)[2][0] in {"永新镇社保服务所", "合作村", "星光村"}
    assert three.newly == 3400 and three.best


def test_more_stations_than_places_that_help(job_world):
    proposal = job_station_proposal(viewer=job_world.cadre, count=10)
    assert len(proposal.sites) == 3 and proposal.reached_after == 4201


def test_the_proposal_is_the_best_any_choice_can_do(job_world):
    """Against every subset of the candidates (brute force) of the same travel model."""
    area = job_service_area(viewer=job_world.staff)
    for count in (1, 2, 3, 4):
        instance = solver.Instance(
            population=area.population,
            base=area.nearest,
            minutes=area.site_minutes,
            towns=np.zeros(len(area.sites), dtype=np.int64),
            budget=count,
        )
        best = solver.brute_force(instance, solver.COVER, JOB_SERVICE_MINUTES)
        proposal = job_station_proposal(viewer=job_world.staff, count=count)
        assert area.population.sum() - proposal.reached_after == best.objective, count


def test_a_village_reaches_another_only_through_a_place_both_know(job_world):
    area = job_service_area(viewer=job_world.cadre)
    column = {(s.kind, s.name): j for j, s in enumerate(area.sites)}
    row = {v.name: i for i, v in enumerate(area.villages)}
    hezuo = area.site_minutes[:, column["village", "合作村"]]
    assert hezuo[row["合作村"]] == 0 and hezuo[row["星光村"]] == 13
    # 三溪村 and 石龙村 both know 永新场镇, 10 + 9 = 19 minutes: beyond reach, so not counted
    assert np.isinf(area.site_minutes[row["石龙村"], column["village", "三溪村"]])
    # a job service is no candidate; another town's places are not this cadre's to propose
    assert ("point", "荆山村家门口就业服务站") not in column
    assert all(s.town == "永新镇" for s in area.sites)


def test_page_for_a_cadre_in_plain_words(client, job_world):
    client.force_login(job_world.cadre)
    page = client.get(
        "/staff/planning/job-services/", {"count": 2}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "永新镇" in page and "东溪镇</td>" not in page
    assert "19.1%" in page
    shown = page.split("计算方法说明")[0]
    for jargon in ("HiGHS", "MILP", "覆盖模型", "exact", "greedy"):
        assert jargon not in shown, jargon
    assert "新设 2 个零工驿站" in shown and "永新场镇" in shown and "桃子村" in shown
    assert client.get("/staff/planning/job-services/", {"count": 99}).status_code == 400
    assert client.get("/staff/planning/job-services/", {"town": "500110109000"}).status_code == 400


def test_the_api_is_scoped_and_bounded(client, job_world, django_assert_num_queries):
    _token, key = api_token_create(user=job_world.dongxi_cadre, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    with django_assert_num_queries(7):
        body = client.get("/api/v1/job-service-reach", {"count": 1}, **auth).json()
    assert [t["name"] for t in body["towns"]] == ["东溪镇"]
    assert (body["total"]["people"], body["total"]["reached"], body["total"]["share"]) == (5000, 3000, 60.0)
    assert body["proposal"]["sites"] == [
        {
            "kind": "village",
            "code": job_world.xinhua.code,
            "name": "新华村",
            "town": "东溪镇",
            "people": 2000,
            "villages": [{"name": "新华村", "people": 2000}],
        }
    ]
    assert client.get("/api/v1/job-service-reach", {"count": 21}, **auth).status_code == 422
    refused = client.get("/api/v1/job-service-reach", {"town": "500110113000"}, **auth)
    assert refused.status_code == 400 and refused.json()["message_zh"]
    assert client.get("/api/v1/job-service-reach").status_code == 401
    assert client.get("/api/v1/job-service-reach", **auth).json()["proposal"] is None
