import pytest

from linju.audit.models import AuditEvent
from linju.people.idnumbers import check_digit
from linju.people.masking import mask_id_number

BASE = "/api/v1/people/residents"


@pytest.fixture
def cadre_client(client, towns_and_staff):
    client.force_login(towns_and_staff.cadre)
    return client


def test_api_requires_log_in(client, towns_and_staff):
    response = client.get(BASE)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert response.json()["message_zh"] == "请先登录。"


def test_list_is_scoped_and_masked(cadre_client, towns_and_staff):
    body = cadre_client.get(BASE).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "代云峰"
    assert item["id_number_masked"] == towns_and_staff.dai.masked_id_number
    assert "id_number" not in item
    assert item["phone_masked"] == "139****5678"


def test_search_by_initials_over_api(cadre_client, towns_and_staff):
    assert cadre_client.get(BASE, {"q": "dyf"}).json()["count"] == 1
    assert cadre_client.get(BASE, {"q": "zkm"}).json()["count"] == 0


def test_cadre_cannot_read_another_towns_resident_by_url(cadre_client, towns_and_staff):
    other = cadre_client.get(f"{BASE}/{towns_and_staff.zhou.pk}")
    missing = cadre_client.get(f"{BASE}/999999999")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    unmask = cadre_client.post(f"{BASE}/{towns_and_staff.zhou.pk}/unmask")
    assert unmask.status_code == 404
    assert not AuditEvent.objects.exists()


def test_reading_a_record_is_audited_and_masked(cadre_client, towns_and_staff):
    response = cadre_client.get(f"{BASE}/{towns_and_staff.dai.pk}")
    assert response.status_code == 200
    assert towns_and_staff.dai.id_number not in response.content.decode()
    assert AuditEvent.objects.filter(action="record_viewed").count() == 1


def test_unmask_returns_whole_numbers_and_is_audited(cadre_client, towns_and_staff):
    response = cadre_client.post(f"{BASE}/{towns_and_staff.dai.pk}/unmask")
    assert response.status_code == 200
    assert response.json()["id_number"] == towns_and_staff.dai.id_number
    assert AuditEvent.objects.filter(action="unmasked", actor=towns_and_staff.cadre).count() == 1


def test_leader_gets_403_on_unmask(client, towns_and_staff):
    client.force_login(towns_and_staff.leader)
    response = client.post(f"{BASE}/{towns_and_staff.dai.pk}/unmask")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_register_with_bad_id_number_gets_400_in_both_languages(cadre_client, towns_and_staff):
    first17 = "50022219900101123"
    bad = first17 + ("0" if check_digit(first17) != "0" else "1")
    response = cadre_client.post(
        BASE,
        {"name": "张三", "id_number": bad, "village_code": "500110113225"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "id_check_digit"
    assert "校验码" in body["message_zh"]
    assert "check digit" in body["message_en"]
    assert body["errors"]["id_number"]


def test_register_with_missing_fields_gets_422_not_500(cadre_client, towns_and_staff):
    response = cadre_client.post(BASE, {"name": "张三"}, content_type="application/json")
    assert response.status_code == 422
    assert "id_number" in response.json()["errors"]


def test_register_over_api(cadre_client, towns_and_staff):
    first17 = "50022219900101123"
    response = cadre_client.post(
        BASE,
        {
            "name": "张三",
            "id_number": first17 + check_digit(first17),
            "phone": "023-48621234",
            "village_code": "500110113225",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["id_number_masked"] == mask_id_number(first17 + check_digit(first17))


def test_every_bad_field_is_reported_at_once(cadre_client, towns_and_staff):
    response = cadre_client.post(
        BASE,
        {"name": "张三", "id_number": "5002221990", "phone": "123", "village_code": "500110109210"},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"id_number", "phone", "village_code"}


def test_unreadable_json_is_a_400_in_both_languages(cadre_client, towns_and_staff):
    response = cadre_client.post(BASE, "not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "http_400"
    assert response.json()["message_en"].startswith("The request could not be read")


def test_leaders_do_not_look_residents_up(client, towns_and_staff):
    """A leader's search by a whole ID number or phone used to answer with the one person holding it."""
    client.force_login(towns_and_staff.leader)
    for q in (towns_and_staff.dai.id_number, towns_and_staff.dai.phone, "dyf", ""):
        assert client.get("/api/v1/people/residents", {"q": q}).status_code == 403
        assert client.get("/staff/residents/", {"q": q}).status_code == 403
    client.force_login(towns_and_staff.staff)
    assert client.get("/api/v1/people/residents", {"q": towns_and_staff.dai.id_number}).json()["count"] == 1
