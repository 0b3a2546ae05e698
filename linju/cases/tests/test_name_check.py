"""A name typed at intake that is not the name registered for the ID number typed stops the intake,
with both names (the registered one masked) and a choice; the texts go to the phone given for the case."""

import datetime
import re

import pytest
from django.urls import reverse

from linju.cases.models import Case
from linju.cases.services import Intake, NameDiffers, NewPerson, case_accept
from linju.catalog.tests.factories import MaterialFactory
from linju.conftest_world import at
from linju.core.errors import DomainError, NotFound
from linju.notify.models import OutboxMessage
from linju.people.idnumbers import build_id_number

TYPED_PHONE = "13800002222"
AGENT_ID = build_id_number("500222", datetime.date(1990, 1, 1), 23)


def wrong_name(served, name="王小明", phone=TYPED_PHONE):
    """王小明 typed with 代云峰's ID number (代云峰's registered phone is 13912345678)."""
    return NewPerson(name=name, id_number=served.dai.id_number, phone=phone, village_code="500110113225")


def take(served, person, actor=None, **fields):
    intake = Intake(
        item_code="MD-005", channel="counter", service_point_code="station-yx", person=person, **fields
    )
    return case_accept(actor=actor or served.cadre, intake=intake, now=at(2026, 11, 25))


def test_a_wrong_name_with_a_known_id_number_stops_the_intake_and_writes_nothing(
    served, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NameDiffers) as stopped:
        take(served, wrong_name(served))
    assert stopped.value.status == 409 and stopped.value.field == "person.name"
    assert "王小明" in stopped.value.text() and "代*峰" in stopped.value.text()
    assert "代云峰" not in stopped.value.text()  # the registered name is masked
    assert not Case.objects.exists() and not OutboxMessage.objects.exists()


def test_taken_under_the_registered_name_the_texts_go_to_the_phone_given_for_the_case(
    served, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = take(served, wrong_name(served), registered_name=True)
    assert case.applicant == served.dai and case.applicant_phone == TYPED_PHONE
    assert case.events.get(action="accept").detail.get("under_registered_name") is True
    assert set(OutboxMessage.objects.values_list("phone", flat=True)) == {TYPED_PHONE}
    served.dai.refresh_from_db()
    assert served.dai.name == "代云峰" and served.dai.phone == "13912345678"  # the register is unchanged


def test_a_corrected_name_is_taken_and_texted_to_the_phone_given(served, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = take(served, wrong_name(served, name="代 云峰"))
    assert case.applicant == served.dai
    assert list(OutboxMessage.objects.values_list("phone", flat=True)) == [TYPED_PHONE]


def test_someone_outside_the_takers_towns_under_another_name_is_no_such_resident_whatever_is_chosen(served):
    for registered_name in (False, True):
        with pytest.raises(NotFound) as refused:
            take(served, wrong_name(served), actor=served.dongxi_cadre, registered_name=registered_name)
        assert not isinstance(refused.value, NameDiffers) and "代" not in refused.value.text()
    assert not Case.objects.exists()


def test_the_phone_given_for_the_case_is_checked_and_kept_in_its_national_form(served):
    with pytest.raises(DomainError) as refused:
        take(served, wrong_name(served, name="代云峰", phone="12345"))
    assert refused.value.field == "person.phone"
    case = take(served, wrong_name(served, name="代云峰", phone="+86 138 0000 2222"))
    assert case.applicant_phone == TYPED_PHONE


def test_a_resident_chosen_from_the_register_is_texted_at_the_phone_given_or_else_the_registered_one(served):
    chosen = Intake(
        item_code="UI-002", channel="counter", service_point_code="station-yx", applicant_id=served.dai.pk
    )
    assert (
        case_accept(actor=served.cadre, intake=chosen, now=at(2026, 11, 25)).applicant_phone == "13912345678"
    )
    chosen.phone = "023-48621234"
    assert (
        case_accept(actor=served.cadre, intake=chosen, now=at(2026, 11, 25)).applicant_phone == "023-48621234"
    )


@pytest.fixture
def token(served):
    from linju.accounts.tests.factories import bearer

    return bearer(served.cadre)


def test_the_api_answers_409_in_chinese_and_english_then_takes_it_under_the_registered_name(
    client, served, token
):
    body = {
        "item_code": "MD-005",
        "channel": "booth",
        "market_code": "market-shengping",
        "person": {
            "name": "王小明",
            "id_number": served.dai.id_number,
            "phone": TYPED_PHONE,
            "village_code": "500110113225",
        },
        "idempotency_key": "field-name-1",
        "no_materials_reason": "本人只来咨询,材料下次带来",
    }
    stopped = client.post("/api/v1/cases", body, content_type="application/json", **token)
    assert stopped.status_code == 409
    answer = stopped.json()
    assert answer["code"] == "name_differs" and list(answer["errors"]) == ["person.name"]
    assert (
        "王小明" in answer["message_zh"]
        and "代*峰" in answer["message_zh"]
        and "不一致" in answer["message_zh"]
    )
    assert (
        "王小明" in answer["message_en"]
        and "代*峰" in answer["message_en"]
        and "registered" in answer["message_en"]
    )
    assert "代云峰" not in stopped.content.decode()
    taken = client.post(
        "/api/v1/cases", body | {"registered_name": True}, content_type="application/json", **token
    )
    assert taken.status_code == 201 and taken.json()["applicant"] == "代云峰"
    assert Case.objects.get().applicant_phone == TYPED_PHONE


INTAKE = "?item=MD-005&channel=booth&place=market:market-shengping"


def test_the_intake_page_stops_keeps_everything_typed_and_offers_both_ways(client, served):
    MaterialFactory(item=served.md, name="诊断证明")
    MaterialFactory(item=served.md, name="医疗费用票据")
    client.force_login(served.cadre)
    form = {
        "name": "王小明",
        "id_number": served.dai.id_number,
        "phone": TYPED_PHONE,
        "village_code": "500110113225",
        "material_0": "received",
        "material_1": "missing",
        "other_missing": "住院小结",
        "description": "住院费用报销后仍有困难",
        "agent_name": "代小红",
        "agent_id_number": AGENT_ID,
        "agent_relation": "child",
        "agent_phone": "13700003333",
        "agent_authorise": "on",
        "texts_to_applicant": "on",
        "idempotency_key": "form-name-1",
    }
    stopped = client.post(reverse("cases:new") + INTAKE, form)
    page = stopped.content.decode()
    assert stopped.status_code == 409 and not Case.objects.exists()
    assert "王小明" in page and "代*峰" in page and "代云峰" not in page
    for value in (
        served.dai.id_number,
        TYPED_PHONE,
        "住院小结",
        "住院费用报销后仍有困难",
        "代小红",
        AGENT_ID,
        "13700003333",
        "form-name-1",
    ):
        assert value in page, value  # nothing typed is lost
    assert re.search(r'name="material_0" value="received"[^>]*checked', page)
    assert re.search(r'name="material_1" value="missing"[^>]*checked', page)
    assert 'name="registered_name" value="1"' in page and 'name="registered_name" value=""' in page
    corrected = client.post(reverse("cases:new") + INTAKE, form | {"registered_name": ""})
    assert corrected.status_code == 409  # the name still differs: the intake stops again
    taken = client.post(reverse("cases:new") + INTAKE, form | {"registered_name": "1"})
    case = Case.objects.get()
    assert taken.status_code == 302 and taken["Location"].endswith(f"/{case.number}/receipt/")
    assert case.applicant == served.dai and case.applicant_phone == TYPED_PHONE
    assert case.materials_missing == ["医疗费用票据", "住院小结"] and case.agent_name == "代小红"


def test_the_intake_page_takes_the_corrected_name(client, served):
    client.force_login(served.cadre)
    form = {
        "name": "王小明",
        "id_number": served.dai.id_number,
        "phone": TYPED_PHONE,
        "village_code": "500110113225",
        "texts_to_applicant": "on",
        "idempotency_key": "form-name-2",
    }
    assert client.post(reverse("cases:new") + INTAKE, form).status_code == 409
    taken = client.post(reverse("cases:new") + INTAKE, form | {"name": "代云峰", "registered_name": ""})
    assert taken.status_code == 302 and Case.objects.get().applicant == served.dai
