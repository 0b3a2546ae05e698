"""The public "where" answer is kept in the shared cache under a key naming what it was built from:
a repeat costs no query, and a change of the delegations, the places or the booth plan is seen at
once (settings.LINJU_ANSWER_CACHE_SECONDS is 0 elsewhere in the suite)."""

import datetime

import pytest
from django.test import override_settings

from linju.catalog.services import delegation_end
from linju.outreach.services import booth_session_create

URL = "/api/v1/where?item=UI-002&village=500110113225&date=2026-11-30"


@pytest.fixture(autouse=True)
def answer_cache():
    with override_settings(LINJU_ANSWER_CACHE_SECONDS=120):
        yield


def kinds(client):
    return [p["kind"] for p in client.get(URL).json()["places"]]


def test_a_repeat_is_read_from_the_cache(client, cw, max_queries):
    first = client.get(URL).json()
    with max_queries(0):
        again = client.get(URL).json()
    assert first == again and {p["kind"] for p in first["places"]} == {"station", "hall"}


def test_a_new_booth_and_an_ended_delegation_show_at_once(client, cw):
    assert "booth" not in kinds(client)
    booth_session_create(
        actor=cw["cadre"],
        market_code="market-shengping",
        day=datetime.date(2026, 12, 1),
        staff_ids=[cw["cadre"].pk],
    )
    assert "booth" in kinds(client)
    delegation = cw["yongxin"].delegations.get(item=cw["ui"])
    delegation_end(actor=cw["admin"], delegation=delegation, last_day=datetime.date(2026, 11, 1))
    # the station still takes it, now for the district to finish
    station = next(p for p in client.get(URL).json()["places"] if p["kind"] == "station")
    assert station["mode"] == "accept_forward"
