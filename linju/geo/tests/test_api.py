import pytest

from linju.geo.tests.factories import ServicePointFactory, VillageFactory


@pytest.mark.django_db
def test_towns_are_public_with_their_station(client):
    station = ServicePointFactory()
    VillageFactory(town=station.town)
    body = client.get("/api/v1/geo/towns").json()
    assert body[0]["station"]["name"] == station.name
    assert body[0]["village_count"] == 1


@pytest.mark.django_db
def test_villages_of_unknown_town_is_404_in_chinese(client):
    response = client.get("/api/v1/geo/towns/000000000000/villages")
    assert response.status_code == 404
    assert response.json()["message"] == "没有代码为 000000000000 的镇街。"
    assert response.json()["message_en"] == "No town with code 000000000000."


@pytest.mark.django_db
def test_openapi_docs_are_served(client):
    assert client.get("/api/v1/docs").status_code == 200
    assert "/api/v1/people/residents" in client.get("/api/v1/openapi.json").json()["paths"]
