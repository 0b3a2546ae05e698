"""A case taken through the API with each way of identifying the person: the check first
(POST /identity/verifications), its receipt with the case; only the event is kept, never the code."""

import datetime

import pytest
from django.db import connection

from linju.accounts.services import api_token_create
from linju.cases.models import Case, CaseEvent
from linju.identity.models import Identification
from linju.people.idnumbers import build_id_number


@pytest.fixture
def token(served):
    _token, key = api_token_create(user=served.cadre, name="booth tablet")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def check(client, token, **body):
    return client.post("/api/v1/identity/verifications", body, content_type="application/json", **token)


def take(client, token, **extra):
    body = {
        "item_code": "UI-002",
        "channel": "booth",
        "market_code": "market-shengping",
        "materials_received": ["居民身份证原件"],
    } | extra
    return client.post("/api/v1/cases", body, content_type="application/json", **token)


def newcomer(serial: int) -> dict:
    return {
        "name": "林小芳",
        "id_number": build_id_number("500222", datetime.date(1990, 3, 3), serial),
        "phone": "13800138000",
        "village_code": "500110113225",
    }


@pytest.mark.parametrize(
    ("method", "extra"),
    [
        ("id_card_reader", {}),
        ("social_card", {}),
        ("ecard", {"qr": "DEMO-ECARD:{id}:fresh"}),
    ],
)
def test_a_known_person_checked_by_each_device_is_taken_with_the_event(client, served, token, method, extra):
    extra = {k: v.format(id=served.dai.id_number) for k, v in extra.items()}
    answer = check(
        client, token, method=method, terminal="booth-tablet-7", applicant_id=served.dai.pk, **extra
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["result"] == "valid"
    response = take(
        client,
        token,
        applicant_id=served.dai.pk,
        identification={"method": method, "receipt": answer.json()["receipt"]},
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(number=response.json()["number"])
    kept = Identification.objects.get()
    assert (kept.resident, kept.method, kept.result, kept.terminal, kept.reference, kept.actor) == (
        served.dai,
        method,
        "valid",
        "booth-tablet-7",
        case.number,
        served.cadre,
    )
    accept = CaseEvent.objects.get(case=case, action="accept")
    assert accept.detail["identified"] == {"method": method, "result": "valid", "id": kept.pk}


def test_a_newcomer_checked_by_e_card_and_no_code_anywhere_in_the_database(client, served, token):
    person = newcomer(21)
    qr = f"DEMO-ECARD:{person['id_number']}:code-7f3a9c-once"
    answer = check(
        client,
        token,
        method="ecard",
        qr=qr,
        person={"name": person["name"], "id_number": person["id_number"]},
    )
    assert answer.json()["result"] == "valid"
    response = take(
        client, token, person=person, identification={"method": "ecard", "receipt": answer.json()["receipt"]}
    )
    assert response.status_code == 201, response.content
    assert Identification.objects.get().resident.id_number == person["id_number"]
    assert holding("code-7f3a9c-once") == []
    assert holding(qr) == []


def holding(text: str) -> list[str]:
    """Every table.column of the database whose value holds the text, read as text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                quoted_table, quoted = (
                    connection.ops.quote_name(table),
                    connection.ops.quote_name(column.name),
                )
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quoted_table} WHERE CAST({quoted} AS TEXT) LIKE %s", [f"%{text}%"]
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column.name}")
    return found


def test_the_search_of_the_database_finds_what_is_there(client, served, token):
    """The search above can fail: a resident's phone typed at intake is found in its columns."""
    take(client, token, person=newcomer(22), idempotency_key="tablet-found-7f3a9c")
    assert "cases_case.idempotency_key" in holding("tablet-found-7f3a9c")


def test_an_unreachable_platform_falls_back_to_a_reason(client, served, token):
    answer = check(
        client, token, method="ecard", qr="DEMO-ECARD:x", terminal="booth-down", applicant_id=served.dai.pk
    )
    assert answer.json()["result"] == "unreachable" and answer.json()["receipt"]
    without = take(
        client,
        token,
        applicant_id=served.dai.pk,
        identification={"method": "ecard", "receipt": answer.json()["receipt"]},
    )
    assert without.status_code == 400
    assert "identification.reason" in without.json()["errors"]
    assert not Case.objects.exists() and not Identification.objects.exists()
    taken = take(
        client,
        token,
        applicant_id=served.dai.pk,
        identification={
            "method": "ecard",
            "receipt": answer.json()["receipt"],
            "reason": "平台无响应，核对了身份证原件",
        },
    )
    assert taken.status_code == 201, taken.content
    kept = Identification.objects.get()
    assert (kept.method, kept.result, kept.reason, kept.terminal) == (
        "ecard",
        "unreachable",
        "平台无响应，核对了身份证原件",
        "booth-down",
    )


def test_an_expired_card_or_anothers_gives_no_receipt_and_says_why(client, served, token):
    expired = check(
        client, token, method="id_card_reader", terminal="c-expired", applicant_id=served.dai.pk
    ).json()
    other = check(client, token, method="social_card", terminal="c-other", applicant_id=served.dai.pk).json()
    assert (expired["result"], expired["receipt"]) == ("expired", "")
    assert (other["result"], other["receipt"]) == ("mismatch", "")
    assert expired["message"] != other["message"]


def test_by_hand_is_taken_with_its_reason_only(client, served, token):
    refused = take(client, token, applicant_id=served.dai.pk, identification={"method": "by_hand"})
    assert refused.status_code == 400 and "identification.reason" in refused.json()["errors"]
    taken = take(
        client,
        token,
        applicant_id=served.dai.pk,
        identification={
            "method": "by_hand",
            "reason": "老人未带卡，村干部当面确认",
            "terminal": "booth-tablet-7",
        },
    )
    assert taken.status_code == 201
    kept = Identification.objects.get()
    assert (kept.method, kept.result, kept.reason) == ("by_hand", "not_checked", "老人未带卡，村干部当面确认")


def test_a_check_for_one_person_does_not_take_a_case_for_another(client, served, token):
    answer = check(client, token, method="id_card_reader", applicant_id=served.dai.pk).json()
    response = take(
        client,
        token,
        person=newcomer(23),
        identification={"method": "id_card_reader", "receipt": answer["receipt"]},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "identification_other_person"
    assert not Case.objects.exists()


def test_a_bundle_keeps_one_identification_for_its_parts(client, retirement):
    _token, key = api_token_create(user=retirement.cadre, name="booth tablet")
    token = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answer = check(
        client, token, method="social_card", terminal="booth-3", applicant_id=retirement.dai.pk
    ).json()
    response = client.post(
        "/api/v1/cases",
        {
            "bundle": "retire",
            "channel": "booth",
            "market_code": "market-shengping",
            "materials_received": ["居民身份证", "户口簿", "银行卡", "公积金联名卡"],
            "applicant_id": retirement.dai.pk,
            "identification": {"method": "social_card", "receipt": answer["receipt"]},
        },
        content_type="application/json",
        **token,
    )
    assert response.status_code == 201, response.content
    kept = Identification.objects.get()
    assert (kept.reference, kept.method, kept.terminal) == (
        response.json()["number"],
        "social_card",
        "booth-3",
    )
    details = CaseEvent.objects.filter(action="accept").values_list("detail", flat=True)
    assert len(details) == 3
    assert all(
        d["identified"] == {"method": "social_card", "result": "valid", "id": kept.pk} for d in details
    )
