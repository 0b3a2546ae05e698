"""Every staff page at the demo's size in a bounded number of queries (every staff page
is to answer under 300 ms; tests pin query counts, never times — the times are in docs/benchmarks.md)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from linju.accounts.models import User
from linju.cases.models import Case
from linju.jobs.models import JobSeeker
from linju.outreach.models import BoothSession
from linju.people.models import Resident

# page -> the most queries it may send: the count measured on the demo, plus one
PAGES = {
    "/staff/": 8,  # the work lists counted in one query (and one for the follow-ups)
    "/staff/cases/": 7,
    "/staff/cases/?list=overdue": 7,
    "/staff/cases/callbacks/": 9,  # the page, the overdue by town, the appeals waiting, my ratings and their appeals
    "/staff/cases/new/": 6,
    "/staff/cases/{case}/": 11,  # with the audit record of the opening, the extensions and the photos
    "/staff/cases/{case}/receipt/": 10,
    "/staff/residents/?q=dyf": 6,
    "/staff/residents/{resident}/": 5,
    "/staff/outreach/": 5,
    "/staff/outreach/booths/": 6,
    "/staff/outreach/booths/{booth}/": 7,  # its answered questions and its cases, two reads
    "/staff/outreach/counter/": 6,  # the stations, the hall (district staff) and today's questions at the first
    "/staff/outreach/coverage/": 6,
    "/staff/outreach/home-tasks/": 4,
    "/staff/outreach/roster/": 4,
    "/staff/outreach/leaders/": 11,
    "/staff/outreach/calendar/": 4,
    "/staff/jobs/": 4,
    "/staff/jobs/seekers/{seeker}/": 11,
    "/staff/jobs/referrals/": 6,
    "/staff/jobs/unfilled/": 9,  # with the referrals of each vacancy, for its reason
    "/staff/discovery/": 10,  # the demo's own run: its lists, and the rules in force for the items a step leads to
    "/staff/offers/": 9,  # the offers waiting and held by town and item, five names each, one audit record
    # the whole month: visits, home tasks, certification, counter questions, unmet demand, ratings, follow-ups, callbacks
    # (the rates in one count, overdue by town in another); and the
    # offers funnel, at most six (three on a demo whose discovery has not run)
    "/staff/insights/": 45,
    "/staff/insights/imports/": 5,  # with the sweep of imports whose worker died
    "/staff/planning/": 6,
}


NOT_THEIRS = {("yongxin_cadre", "/staff/planning/")}  # planning is district staff's work


@pytest.fixture
def objects(demo):
    cadre = User.objects.get(username="yongxin_cadre")
    town = cadre.towns.get()
    return {
        "cadre": cadre,
        "case": Case.objects.filter(town=town).order_by("number").first().number,
        "resident": Resident.objects.filter(village__town=town).order_by("id").first().pk,
        "booth": BoothSession.objects.filter(market__town=town).order_by("date").first().pk,
        "seeker": JobSeeker.objects.filter(resident__village__town=town).order_by("id").first().pk,
    }


@pytest.mark.parametrize("username", ["yongxin_cadre", "qj_staff"])
def test_staff_pages_in_few_queries(client, objects, username):
    client.force_login(User.objects.get(username=username))
    counts = {}
    for page, limit in PAGES.items():
        url = page.format(**objects)
        client.get(url)  # the process's held tables are read on its first request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        expected = 403 if (username, page) in NOT_THEIRS else 200
        assert response.status_code == expected, (url, response.status_code)
        counts[url] = (len(queries), limit)
    over = {url: c for url, c in counts.items() if c[0] > c[1]}
    assert not over, over
