"""Offers over the JSON API: the list in the viewer's towns (masked, filtered, paged, recorded),
approval of what waits, and an answer heard by staff; another town's offer is a 404, bad input a 4xx
in plain words."""

import pytest
from django.utils import timezone

from linju.accounts.services import api_token_create
from linju.audit.models import AuditEvent
from linju.cases.models import Case
from linju.offers.models import Offer
from linju.people.tests.factories import ResidentFactory

from .factories import make_offer, offered_rule, open_offer


@pytest.fixture
def travel_times(served):
    rule = offered_rule(served.ui)
    return served | {
        "rule": rule,
        "waiting": make_offer(served.dai, rule),
        "dongxi": make_offer(served.zhou, rule),
        "open": open_offer(ResidentFactory(village=served.jingshan, name="李明山"), rule, served.staff),
    }


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(user=user, name="t")[1]}


def test_the_list_is_the_viewers_towns_masked_filtered_and_recorded(client, travel_times):
    token = bearer(travel_times.cadre)
    body = client.get("/api/v1/offers", **token).json()
    assert body["count"] == 2
    names = {row["resident"] for row in body["items"]}
    assert names == {"代*峰", "李*山"}
    row = next(r for r in body["items"] if r["resident"] == "代*峰")
    assert row["id_number_masked"].count("*") == 8 and row["town"] == "永新镇" and row["status"] == "awaiting"
    only_open = client.get(
        "/api/v1/offers", {"status": "open", "item": "UI-002", "town": "500110113000"}, **token
    )
    assert [r["id"] for r in only_open.json()["items"]] == [travel_times.open.pk]
    assert client.get("/api/v1/offers", {"town": "500110109000"}, **token).json()["count"] == 0
    events = AuditEvent.objects.filter(object_type="resident_list", detail__what="offer_list")
    assert (
        events.count() == 2 and events.filter(actor=travel_times.cadre).count() == 2
    )  # an empty page shows nobody


@pytest.mark.parametrize(
    "params",
    [{"status": "nonsense"}, {"status": "x" * 20}, {"page": 0}, {"page_size": 1000}, {"item": "x" * 40}],
)
def test_bad_list_parameters_are_refused_in_plain_words(client, travel_times, params):
    response = client.get("/api/v1/offers", params, **bearer(travel_times.staff))
    assert 400 <= response.status_code < 500
    assert response.json()["message_zh"] and response.json()["message_en"]


def test_leaders_are_refused_the_list(client, travel_times):
    client.force_login(travel_times.leader)
    assert client.get("/api/v1/offers").status_code == 403


def test_approvals_approve_what_waits_in_the_viewers_scope(client, travel_times):
    token = bearer(travel_times.cadre)
    response = client.post(
        "/api/v1/offers/approvals", {"item": "UI-002"}, content_type="application/json", **token
    )
    assert response.json() == {"approved": 1}
    assert Offer.objects.get(pk=travel_times.waiting.pk).status == Offer.Status.OPEN
    assert Offer.objects.get(pk=travel_times.dongxi.pk).status == Offer.Status.AWAITING
    empty = client.post("/api/v1/offers/approvals", {}, content_type="application/json", **token)
    assert empty.json() == {"approved": 0}


def test_an_answer_heard_at_a_booth_answers_the_case_number_and_promised_date(client, travel_times):
    response = client.post(
        f"/api/v1/offers/{travel_times.open.pk}/answer",
        {"answer": "yes", "channel": "booth"},
        content_type="application/json",
        **bearer(travel_times.cadre),
    )
    case = Case.objects.get()
    assert response.status_code == 200
    assert response.json() | {"promised_date": None} == {
        "status": "confirmed",
        "answer": "yes",
        "case_number": case.number,
        "promised_date": None,
        "home_task_id": None,
    }
    assert response.json()["promised_date"] == case.promised_date.isoformat()
    assert Offer.objects.get(pk=travel_times.open.pk).answered_by == travel_times.cadre


def test_answers_outside_scope_are_404_and_bad_answers_plain_4xx(client, travel_times):
    Offer.objects.filter(pk=travel_times.dongxi.pk).update(
        status=Offer.Status.OPEN, approved_at=timezone.now()
    )
    token = bearer(travel_times.cadre)

    def answer(offer_id, body):
        return client.post(
            f"/api/v1/offers/{offer_id}/answer", body, content_type="application/json", **token
        )

    assert answer(travel_times.dongxi.pk, {"answer": "no", "channel": "phone"}).status_code == 404
    assert answer(999_999, {"answer": "no", "channel": "phone"}).status_code == 404
    assert answer(2**64, {"answer": "no", "channel": "phone"}).status_code in (404, 422)
    for body in (
        {"answer": "maybe", "channel": "phone"},
        {"answer": "yes", "channel": "sms"},  # staff say how they heard it
        {"answer": "no", "channel": "phone", "reason": "长" * 300},
        {"answer": "yes"},
    ):
        response = answer(travel_times.open.pk, body)
        assert 400 <= response.status_code < 500, body
        assert response.json()["message_zh"], body
    assert Offer.objects.get(pk=travel_times.open.pk).status == Offer.Status.OPEN


def test_the_list_costs_the_same_queries_for_a_full_page(client, travel_times, django_assert_num_queries):
    token = bearer(travel_times.staff)
    client.get("/api/v1/offers", **token)
    # the count, the page (with its residents, items, villages, towns, cases), one audit event (the
    # key's holder is held by the process; district staff: no query for their towns)
    with django_assert_num_queries(3):
        client.get("/api/v1/offers", **token)
    for _ in range(15):
        make_offer(ResidentFactory(village=travel_times.jingshan), travel_times.rule)
    with django_assert_num_queries(3):
        client.get("/api/v1/offers", **token)


def test_an_answer_costs_a_pinned_number_of_queries(client, travel_times, max_queries):
    token = bearer(travel_times.cadre)
    client.get("/api/v1/offers", **token)
    # the offer in scope, the offer locked, read, updated (the key's holder is held by the process)
    with max_queries(4):
        response = client.post(
            f"/api/v1/offers/{travel_times.open.pk}/answer",
            {"answer": "no", "channel": "phone", "reason": "已找到工作"},
            content_type="application/json",
            **token,
        )
    assert response.json()["status"] == "declined"
