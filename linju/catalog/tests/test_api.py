import datetime

import pytest
from django.utils import timezone

from linju.catalog.tests.factories import DelegationFactory, MaterialFactory, ServiceItemFactory
from linju.geo.models import TravelTime
from linju.geo.tests.factories import ServicePointFactory, VillageFactory
from linju.workdays.selectors import add_working_days


@pytest.fixture
def place(db):
    station = ServicePointFactory()
    hall = ServicePointFactory(kind="district_hall", code="hall-x", town=station.town, name="区服务大厅")
    village = VillageFactory(town=station.town)
    TravelTime.objects.create(
        village=village, service_point=station, minutes=20, mode="walk", source="synthetic"
    )
    TravelTime.objects.create(village=village, service_point=hall, minutes=70, mode="bus", source="synthetic")
    item = ServiceItemFactory(code="UI-002")
    MaterialFactory(item=item)
    DelegationFactory(item=item, town=station.town, valid_from=datetime.date(2014, 7, 1))
    return {"station": station, "hall": hall, "village": village, "item": item}


def test_items_search(client, place):
    body = client.get("/api/v1/catalog/items", {"q": "sybx"}).json()
    assert [i["code"] for i in body] == ["UI-002"]
    assert client.get("/api/v1/catalog/items").json()[0]["category"] == "失业保险"


def test_item_detail_has_materials(client, place):
    body = client.get("/api/v1/catalog/items/UI-002").json()
    assert body["materials"] == [{"name": "居民身份证原件", "required": True, "note": ""}]


def test_unknown_item_is_404_with_a_message(client, place):
    response = client.get("/api/v1/catalog/items/NOPE")
    assert response.status_code == 404
    assert "NOPE" in response.json()["message_zh"]


def test_where_ranks_nearest_first(client, place):
    # asked about the next working day but one: the station opens at nine that day
    day = add_working_days(timezone.localdate(), 2).date
    body = client.get(
        "/api/v1/where", {"item": "UI-002", "village": place["village"].code, "date": day.isoformat()}
    ).json()
    assert [(p["kind"], p["mode"], p["minutes"]) for p in body["places"]] == [
        ("station", "finish", 20),
        ("hall", "finish", 70),
    ]
    assert body["places"][0]["next_open"].startswith(f"{day.isoformat()}T09:00")


def test_where_before_the_delegation_the_station_takes_it_for_the_district(client, place):
    body = client.get(
        "/api/v1/where", {"item": "UI-002", "village": place["village"].code, "date": "2014-06-30"}
    ).json()
    assert {p["kind"]: p["mode"] for p in body["places"]} == {"station": "accept_forward", "hall": "finish"}


@pytest.mark.parametrize("date", ["2026-13-01", "tomorrow", "2026-02-30"])
def test_where_with_a_bad_date_is_422(client, place, date):
    response = client.get("/api/v1/where", {"item": "UI-002", "village": place["village"].code, "date": date})
    assert response.status_code == 422
    assert response.json()["errors"]["date"] == ["日期格式应为 2026-11-25 这样。"]


def test_where_with_unknown_village_is_404(client, place):
    response = client.get("/api/v1/where", {"item": "UI-002", "village": "999999999999"})
    assert response.status_code == 404
