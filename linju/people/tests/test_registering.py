"""Registering a resident is the work of the staff and cadres of the village's town, on the page and
over the API; a leader reads figures and registers no one: the form, the page's post and the API
refuse them in plain words, and nothing is written."""

import pytest
from django.urls import reverse
from django.utils import translation

from linju.access.capabilities import CAPABILITIES
from linju.core.errors import PermissionDenied
from linju.people.idnumbers import check_digit
from linju.people.models import Household, Person, Resident
from linju.people.selectors import villages_to_register_in
from linju.people.services import resident_register

BASE = "/api/v1/people/residents"
FIRST17 = "50022219900101123"
NEW = {
    "name": "张三",
    "id_number": FIRST17 + check_digit(FIRST17),
    "phone": "13800000000",
    "village_code": "500110113225",  # 荆山村, 永新镇
    "household_number": "H-0001",
}


def nothing_written() -> bool:
    return (
        not Resident.objects.filter(id_number=NEW["id_number"]).exists()
        and not Person.objects.filter(id_number=NEW["id_number"]).exists()
        and not Household.objects.filter(number="H-0001").exists()
    )


def refusal() -> str:
    with translation.override("zh-hans"):
        return str(CAPABILITIES["resident.register"].refusal)


def test_a_leader_is_refused_the_form_and_its_post(client, towns_and_staff):
    client.force_login(towns_and_staff.leader)
    form = client.get(reverse("people:new"))
    assert form.status_code == 403 and refusal() in form.content.decode()
    posted = client.post(reverse("people:new"), NEW)
    assert posted.status_code == 403 and refusal() in posted.content.decode()
    assert nothing_written()


def test_the_api_refuses_a_leader_in_plain_words(client, towns_and_staff):
    client.force_login(towns_and_staff.leader)
    response = client.post(BASE, NEW, content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden" and body["message_zh"] == refusal()
    assert nothing_written()


def test_the_service_and_the_form_s_villages_refuse_a_leader(towns_and_staff):
    with pytest.raises(PermissionDenied):
        resident_register(actor=towns_and_staff.leader, **NEW)
    with pytest.raises(PermissionDenied):
        villages_to_register_in(viewer=towns_and_staff.leader)
    assert nothing_written()


def test_the_cadre_of_the_town_registers_on_the_page_and_over_the_api(client, towns_and_staff):
    client.force_login(towns_and_staff.cadre)
    assert client.get(reverse("people:new")).status_code == 200
    assert client.post(reverse("people:new"), NEW).status_code == 302
    assert Resident.objects.get(id_number=NEW["id_number"]).household.number == "H-0001"
    first17 = "50022219900101124"
    other = NEW | {"id_number": first17 + check_digit(first17), "household_number": ""}
    assert client.post(BASE, other, content_type="application/json").status_code == 201
    assert villages_to_register_in(viewer=towns_and_staff.cadre).get().name == "荆山村"


def test_district_staff_register_in_any_town_of_their_bureau(towns_and_staff):
    resident = resident_register(actor=towns_and_staff.staff, **NEW)
    assert resident.village.town == towns_and_staff.yongxin
    assert {v.name for v in villages_to_register_in(viewer=towns_and_staff.staff)} == {"荆山村", "龙井村"}


def test_a_leaders_workbench_offers_no_registering(client, towns_and_staff):
    client.force_login(towns_and_staff.leader)
    assert reverse("people:new") not in client.get(reverse("staff-home")).content.decode()
    client.force_login(towns_and_staff.cadre)
    assert reverse("people:new") in client.get(reverse("staff-home")).content.decode()
