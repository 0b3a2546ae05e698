"""The public "where" answer is kept in the shared cache under a key naming what it was built from:
a repeat costs no query, and a change of the delegations, the places or the booth plan is seen at
once (settings.LINJU_ANSWER_CACHE_SECONDS is 0 elsewhere in the suite)."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from linju.catalog.services import delegation_end
from linju.outreach.services import booth_session_create


@pytest.fixture(autouse=True)
def answer_cache():
    with override_settings(LINJU_ANSWER_CACHE_SECONDS=120):
        yield


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def url(today):
    return f"/api/v1/where?item=UI-002&village=500110113225&date={today}"


def kinds(client, url):
    return [p["kind"] for p in client.get(url).json()["places"]]


def test_a_repeat_is_read_from_the_cache(client, served, max_queries, url):
    first = client.get(url).json()
    with max_queries(0):
        again = client.get(url).json()
    assert first == again and {p["kind"] for p in first["places"]} == {"station", "hall"}


def test_a_new_booth_and_an_ended_delegation_show_at_once(client, served, url, today):
    assert "booth" not in kinds(client, url)
    booth_session_create(
        actor=served.cadre,
        market_code="market-shengping",
        day=today + datetime.timedelta(days=1),
        staff_ids=[served.cadre.pk],
    )
    assert "booth" in kinds(client, url)
    delegation = served.yongxin.delegations.get(item=served.ui)
    delegation_end(actor=served.admin, delegation=delegation, last_day=today - datetime.timedelta(days=1))
    # the station still takes it, now for the district to finish
    station = next(p for p in client.get(url).json()["places"] if p["kind"] == "station")
    assert station["mode"] == "accept_forward"
