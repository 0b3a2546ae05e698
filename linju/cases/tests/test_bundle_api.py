"""The cases API takes a bundle (一件事) in place of an item and answers the bundle case with its
parts; reading a bundle's number lists its parts. Its query counts are pinned."""

import datetime

import pytest

from linju.accounts.services import api_token_create
from linju.cases.models import BundleCase, Case
from linju.exchange.models import Message
from linju.people.idnumbers import build_id_number

PAPERS = ["居民身份证", "户口簿", "银行卡", "公积金联名卡"]


@pytest.fixture
def token(retirement):
    _token, key = api_token_create(user=retirement.cadre, name="booth tablet")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, token, **extra):
    body = {
        "bundle": "retire",
        "channel": "booth",
        "market_code": "market-shengping",
        "materials_received": PAPERS,
    }
    return client.post("/api/v1/cases", body | extra, content_type="application/json", **token)


def newcomer(serial: int) -> dict:
    return {
        "name": "蒋大明",
        "id_number": build_id_number("500222", datetime.date(1966, 3, 3), serial),
        "phone": "13600001111",
        "village_code": "500110113225",
    }


def test_a_bundle_in_place_of_an_item_answers_the_bundle_case_with_its_parts(client, retirement, token):
    response = post(client, token, applicant_id=retirement.dai.pk, idempotency_key="tablet-1")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "bundle" and body["bundle_code"] == "retire" and body["bundle"] == "退休一件事"
    assert body["status"] == "open" and body["applicant"] == "代云峰"
    parts = body["parts"]
    assert [p["number"] for p in parts] == [f"{body['number']}-{n}" for n in (1, 2, 3)]
    assert [p["item_code"] for p in parts] == ["RT-001", "RT-002", "HF-001"]
    assert [p["partner"] for p in parts] == [False, False, True]
    assert parts[0]["office"] == "綦江区人力社保局服务大厅" and parts[1]["office"] == "永新镇社保服务所"
    assert parts[2]["office"] == "綦江住房公积金管理中心（示例）"
    assert parts[2]["dispatch"]["papers"] == ["居民身份证", "公积金联名卡"]
    assert all(p["promised_date"] and p["promise"] for p in parts)
    # sent again after a lost answer: the same bundle case, 200
    again = post(client, token, applicant_id=retirement.dai.pk, idempotency_key="tablet-1")
    assert again.status_code == 200 and again.json()["number"] == body["number"]
    assert BundleCase.objects.count() == 1


def test_reading_a_bundle_number_lists_its_parts_and_a_part_reads_as_a_case(client, retirement, token):
    number = post(client, token, applicant_id=retirement.dai.pk).json()["number"]
    body = client.get(f"/api/v1/cases/{number}", **token).json()
    assert body["kind"] == "bundle" and len(body["parts"]) == 3
    part = client.get(f"/api/v1/cases/{number}-3", **token).json()
    assert part["item_code"] == "HF-001" and part["status"] == "forwarded"
    stranger = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=retirement.dongxi_cadre, name='x')[1]}"}
    assert client.get(f"/api/v1/cases/{number}", **stranger).status_code == 404  # not their town


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"item_code": "UI-002"}, "bundle"), ({"bundle": ""}, "item_code")],
    ids=["both", "neither"],
)
def test_exactly_one_of_item_and_bundle(client, retirement, token, extra, field):
    response = post(client, token, applicant_id=retirement.dai.pk, **extra)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "item_or_bundle" and "bundle" in body["message_en"] and body["message_zh"]
    assert not BundleCase.objects.exists() and not Case.objects.exists()


def test_an_unknown_bundle_is_a_404_in_words(client, retirement, token):
    response = post(client, token, applicant_id=retirement.dai.pk, bundle="no-such")
    assert response.status_code == 404 and "no-such" in response.json()["message_en"]


def test_the_single_item_intake_answers_as_before(client, retirement, token):
    response = client.post(
        "/api/v1/cases",
        {
            "item_code": "UI-002",
            "channel": "booth",
            "market_code": "market-shengping",
            "applicant_id": retirement.dai.pk,
            "materials_received": ["居民身份证原件"],
        },
        content_type="application/json",
        **token,
    )
    assert (
        response.status_code == 201
        and "kind" not in response.json()
        and response.json()["item_code"] == "UI-002"
    )


def test_bundle_intake_of_a_known_person(client, retirement, token, max_queries):
    post(client, token, applicant_id=retirement.dai.pk, idempotency_key="warm")
    # the key's check, the applicant, the booth, the counter, the bundle case, its parts, their events,
    # the province's messages of the parts (one insert), the partner's dispatch; the bundles, items and
    # calendar are held
    with max_queries(9):
        response = post(client, token, applicant_id=retirement.dai.pk, idempotency_key="tablet-2")
    assert response.status_code == 201, response.content


def test_bundle_intake_of_a_new_person_with_a_paper_missing(client, retirement, token, max_queries):
    post(client, token, person=newcomer(11), idempotency_key="warm")
    # the same, with the person registered (the directory, the village, the resident) and no
    # dispatch (the partner's part waits for its paper)
    with max_queries(10):
        response = post(
            client,
            token,
            person=newcomer(12),
            idempotency_key="tablet-3",
            materials_received=PAPERS[:3],
            materials_missing=["公积金联名卡"],
        )
    assert response.status_code == 201, response.content
    assert [p["status"] for p in response.json()["parts"]] == ["forwarded", "accepted", "suspended"]


def test_bundle_read(client, retirement, token, max_queries):
    number = post(client, token, applicant_id=retirement.dai.pk).json()["number"]
    client.get(f"/api/v1/cases/{number}", **token)
    with max_queries(4):  # a case by that number? the bundle case, the audit record, the parts
        response = client.get(f"/api/v1/cases/{number}", **token)
    assert response.status_code == 200 and len(response.json()["parts"]) == 3


def test_each_part_of_a_bundle_taken_is_told_to_the_province_once(client, retirement, token):
    response = post(client, token, applicant_id=retirement.dai.pk, idempotency_key="tablet-9")
    assert response.status_code == 201, response.content
    parts = [part["number"] for part in response.json()["parts"]]
    told = Message.objects.filter(kind="case_accepted").order_by("id")
    assert [m.payload["case_number"] for m in told] == parts
    assert all(m.payload["service_code"] in {"RT-001", "RT-002", "HF-001"} for m in told)
    post(client, token, applicant_id=retirement.dai.pk, idempotency_key="tablet-9")  # the retry
    assert Message.objects.filter(kind="case_accepted").count() == len(parts)
