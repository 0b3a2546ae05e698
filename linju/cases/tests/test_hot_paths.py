"""The API's hot paths in a handful of queries, pinned so that a query in a loop, or a read
of a table the process already holds, fails a test rather than a benchmark. Each path is asked once
before it is counted: the held tables (items, delegations, service points, calendar) are read on a
process's first request and then only after a change."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from linju.accounts.services import api_token_create
from linju.cases.models import Case
from linju.consent.tests.factories import DAUGHTER, daughter_authorised
from linju.outreach.models import BoothSession
from linju.people.idnumbers import build_id_number
from linju.people.models import Resident


@pytest.fixture
def token(served):
    _token, key = api_token_create(user=served.cadre, name="booth tablet")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def intake(client, token, **extra):
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


# the day's number, the case, its events and the province's message: one statement on PostgreSQL
# (linju/cases/services/numbering.py), which finds the market's booth of the day too; elsewhere
# four, and the booth of the day read before them
ONE_STATEMENT = connection.vendor == "postgresql"
WRITES = 1 if ONE_STATEMENT else 5


def test_intake_of_a_known_person(client, served, token, max_queries):
    intake(client, token, applicant_id=served.dai.pk, idempotency_key="warm")
    with max_queries(1 + WRITES):  # the applicant, the writes
        response = intake(client, token, applicant_id=served.dai.pk, idempotency_key="tablet-1")
    assert response.status_code == 201, response.content
    assert response.json()["events"][0]["by"] == "yongxin_cadre"


def test_intake_of_a_new_person_with_missing_materials(client, served, token, max_queries):
    intake(client, token, person=newcomer(11), idempotency_key="warm")
    # the number entered in the directory with the newcomer registered (one statement on PostgreSQL,
    # two elsewhere), the writes
    with max_queries((1 if ONE_STATEMENT else 2) + WRITES):
        response = intake(
            client, token, person=newcomer(12), idempotency_key="tablet-2", materials_missing=["诊断证明"]
        )
    assert response.status_code == 201, response.content
    assert [e["action"] for e in response.json()["events"]] == ["accept", "suspend"]
    assert Resident.objects.filter(id_number=newcomer(12)["id_number"]).count() == 1


def test_intake_of_a_person_identified_by_their_card_adds_one_insert(client, served, token, max_queries):
    """The check is its own request, before the case; the case keeps its receipt with one INSERT."""

    def receipt():
        body = {"method": "id_card_reader", "terminal": "booth-1", "applicant_id": served.dai.pk}
        answer = client.post("/api/v1/identity/verifications", body, content_type="application/json", **token)
        return {"method": "id_card_reader", "receipt": answer.json()["receipt"]}

    intake(client, token, applicant_id=served.dai.pk, idempotency_key="warm", identification=receipt())
    identification = receipt()
    # the known person, the identification, the writes (on SQLite the number put in the identification after)
    with max_queries((2 if ONE_STATEMENT else 3) + WRITES):
        response = intake(
            client,
            token,
            applicant_id=served.dai.pk,
            idempotency_key="tablet-4",
            identification=identification,
        )
    assert response.status_code == 201, response.content
    with max_queries(9):  # a newcomer's eight, and the identification by hand
        response = intake(
            client,
            token,
            person=newcomer(14),
            idempotency_key="tablet-5",
            materials_missing=["诊断证明"],
            identification={"method": "by_hand", "reason": "老人未带卡，看了户口簿"},
        )
    assert response.status_code == 201, response.content


def test_a_retry_gets_the_same_case_and_nothing_more(client, served, token, max_queries):
    first = intake(client, token, person=newcomer(13), idempotency_key="tablet-3")
    # the intake up to its writes (met at the case's insert: on SQLite after the counter's bump),
    # their rollback, then the case that holds the key with its events
    with max_queries(7 if ONE_STATEMENT else 9):
        again = intake(client, token, person=newcomer(13), idempotency_key="tablet-3")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Case.objects.count() == 1
    # the retry's number was rolled back with it: the next case takes the next number, no gap
    third = intake(client, token, applicant_id=served.dai.pk).json()["number"]
    assert int(third[-4:]) == int(first.json()["number"][-4:]) + 1


def test_reading_a_case(client, served, token, max_queries):
    number = intake(client, token, applicant_id=served.dai.pk).json()["number"]
    client.get(f"/api/v1/cases/{number}", **token)
    with max_queries(3):  # the case by its number (its key's holder and towns held), timeline, audit
        response = client.get(f"/api/v1/cases/{number}", **token)
    assert response.status_code == 200 and response.json()["events"][0]["action"] == "accept"


def test_where_and_catalogue_search(client, served, max_queries):
    today = timezone.localdate()  # a booth tomorrow, asked about today
    BoothSession.objects.create(market=served.market, date=today + datetime.timedelta(days=1)).items.add(
        served.ui
    )
    url = f"/api/v1/where?item=UI-002&village=500110113225&date={today}"
    client.get(url)
    with max_queries(3):
        response = client.get(url)
    assert response.status_code == 200
    assert {p["kind"] for p in response.json()["places"]} == {"station", "hall", "booth"}
    client.get("/api/v1/catalog/items?q=sybx")
    with max_queries(3):
        response = client.get("/api/v1/catalog/items?q=sybx")
    assert [i["code"] for i in response.json()][0] == "UI-002"


def test_an_agents_intake_costs_one_query_more_for_the_authorisation(client, served, token, max_queries):
    daughter_authorised(served)
    agent = {"name": "代小红", "id_number": DAUGHTER, "relation": "child"}
    intake(client, token, applicant_id=served.dai.pk, agent=agent, idempotency_key="warm")
    with max_queries(7):  # the intake of a known person, and the authorisation in force (one query)
        response = intake(client, token, applicant_id=served.dai.pk, agent=agent, idempotency_key="tablet-9")
    assert response.status_code == 201, response.content
