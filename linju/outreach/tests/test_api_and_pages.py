import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from linju.accounts.tests.factories import bearer
from linju.outreach.models import BoothSession, Consultation, StaffOutreach
from linju.outreach.services import booth_session_create, home_task_create
from linju.outreach.tests.days import next_market_day

D = datetime.date


@pytest.fixture
def auth(outreach_towns):
    return bearer(outreach_towns.cadre)


def test_markets_api_is_public(client, outreach_towns):
    markets = client.get("/api/v1/markets", {"town": "500110113000"}).json()
    assert markets[0]["name"] == "升平片场" and markets[0]["cycle"] == "逢二五八"
    assert set(markets[0]) == {"id", "code", "name", "town", "town_code", "cycle"}
    days = client.get(
        f"/api/v1/markets/{markets[0]['id']}/days", {"from": "2026-12-01", "to": "2026-12-10"}
    ).json()
    assert days == ["2026-12-02", "2026-12-05", "2026-12-08"]
    assert (
        client.get(
            f"/api/v1/markets/{markets[0]['id']}/days", {"from": "2026-12-10", "to": "2026-12-01"}
        ).status_code
        == 400
    )
    assert (
        client.get("/api/v1/markets/999999/days", {"from": "2026-12-01", "to": "2026-12-10"}).status_code
        == 404
    )


def test_booth_and_consultations_over_the_api(client, outreach_towns, auth):
    response = client.post(
        "/api/v1/outreach/booths",
        {"market_code": "market-shengping", "date": "2026-12-02", "staff_ids": [outreach_towns.cadre.pk]},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201
    booth_id = response.json()["id"]
    answered = client.post(
        f"/api/v1/outreach/booths/{booth_id}/consultations",
        {"item_code": "UI-002"},
        content_type="application/json",
        **auth,
    )
    assert answered.status_code == 201 and answered.json()["outcome"] == "answered"
    made = client.post(
        f"/api/v1/outreach/booths/{booth_id}/consultations",
        {"item_code": "UI-002", "make_case": True, "resident_id": outreach_towns.dai.pk},
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201 and made.json()["case_number"]
    listed = client.get("/api/v1/outreach/booths", {"month": "2026-12-01"}, **auth).json()
    assert listed[0]["consultations"] == 2


def test_other_towns_booth_is_404(client, outreach_towns):
    booth = booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=D(2026, 12, 2),
        staff_ids=[outreach_towns.cadre.pk],
    )
    other = bearer(outreach_towns.dongxi_cadre)
    assert (
        client.post(
            f"/api/v1/outreach/booths/{booth.pk}/consultations",
            {"note": "x"},
            content_type="application/json",
            **other,
        ).status_code
        == 404
    )


def test_visit_and_home_task_api(client, outreach_towns, auth):
    visit = client.post(
        "/api/v1/outreach/visits",
        {
            "village_code": "500110113225",
            "date": "2026-11-20",
            "households_met": 5,
            "needs": [{"description": "问养老金", "outcome": "closed"}],
        },
        content_type="application/json",
        **auth,
    )
    assert visit.status_code == 201 and visit.json()["needs"][0]["outcome"] == "closed"
    task = client.post(
        "/api/v1/outreach/home-tasks",
        {
            "kind": "medical_help",
            "resident_id": outreach_towns.dai.pk,
            "asked_via": "phone",
            "due_date": str(timezone.localdate() + datetime.timedelta(days=3)),
        },
        content_type="application/json",
        **auth,
    )
    assert task.status_code == 201
    done = client.post(
        f"/api/v1/outreach/home-tasks/{task.json()['id']}/complete",
        {"result": "已帮助整理报销材料"},
        content_type="application/json",
        **auth,
    )
    assert done.json()["status"] == "done"


def test_booth_page_logs_a_consultation(client, outreach_towns):
    booth = booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=D(2026, 12, 2),
        staff_ids=[outreach_towns.cadre.pk],
    )
    client.force_login(outreach_towns.cadre)
    page = client.get(f"/staff/outreach/booths/{booth.pk}/").content.decode()
    assert "升平片场" in page and "失业保险金申领" in page
    client.post(f"/staff/outreach/booths/{booth.pk}/", {"item_code": "UI-002", "note": ""})
    assert Consultation.objects.get().outcome == "answered"
    assert BoothSession.objects.get().status == "held"


def test_case_intake_from_the_booth_links_the_consultation(client, outreach_towns):
    booth = booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=D(2026, 12, 2),
        staff_ids=[outreach_towns.cadre.pk],
    )
    client.force_login(outreach_towns.cadre)
    url = f"/staff/cases/new/?item=UI-002&channel=booth&place=market:market-shengping&booth={booth.pk}"
    response = client.post(
        url,
        {
            "name": outreach_towns.dai.name,
            "id_number": outreach_towns.dai.id_number,
            "village_code": "500110113225",
            "idempotency_key": "b1",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.outcome == "case" and consultation.case.channel == "booth"


def test_plan_page_shows_conflicts(client, outreach_towns):
    client.force_login(outreach_towns.staff)
    html = client.post("/staff/outreach/booths/", {"month": "2026-12"}).content.decode()
    assert "升平片场" in html and "2026-12" in html
    assert BoothSession.objects.count() == 5


def test_coverage_roster_leaders_pages_open(client, outreach_towns):
    client.force_login(outreach_towns.cadre)
    for url in [
        "/staff/outreach/",
        "/staff/outreach/coverage/",
        "/staff/outreach/roster/",
        "/staff/outreach/home-tasks/",
        "/staff/outreach/leaders/",
        "/staff/outreach/visits/new/",
    ]:
        assert client.get(url).status_code == 200, url
    # a year that is not one is refused in plain words, not a server error
    response = client.get("/staff/outreach/roster/?year=abc")
    assert response.status_code == 400 and "2026" in response.content.decode()


def test_calendar_feed_with_a_private_token(client, outreach_towns):
    booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=D(2026, 12, 2),
        staff_ids=[outreach_towns.cadre.pk],
    )
    client.force_login(outreach_towns.cadre)
    assert client.get("/staff/outreach/calendar/").status_code == 200
    token = StaffOutreach.objects.get(user=outreach_towns.cadre).calendar_token
    client.logout()
    response = client.get(f"/calendar/{token}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    assert "升平片场" in str(events[0]["summary"])
    assert client.get("/calendar/wrong.ics").status_code == 404


def test_public_village_and_town_pages_show_next_booths(client, outreach_towns):
    day = next_market_day()
    booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=day,
        staff_ids=[outreach_towns.cadre.pk],
    )
    html = client.get("/villages/500110113225/").content.decode()
    assert "升平片场" in html and "永新镇社保服务所" in html
    assert "升平片场" in client.get("/towns/500110113000/").content.decode()
    assert client.get("/villages/000000000000/").status_code == 404


def test_the_calendar_feed_is_one_strict_clients_accept(client, outreach_towns):
    """RFC 5545: every event has UID and DTSTAMP; the booth hours name Asia/Shanghai and the feed
    carries that VTIMEZONE; parsed and written again, the feed is the same."""
    day = next_market_day()
    booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=day,
        staff_ids=[outreach_towns.cadre.pk],
    )
    home_task_create(
        actor=outreach_towns.cadre,
        kind="medical_help",
        resident_id=outreach_towns.dai.pk,
        asked_via="phone",
        due_date=day,
        assigned_to=outreach_towns.cadre,
    )
    token = StaffOutreach.objects.get(user=outreach_towns.cadre).calendar_token
    body = client.get(f"/calendar/{token}.ics").content
    feed = Calendar.from_ical(body)
    events = list(feed.walk("VEVENT"))
    assert len(events) == 2
    assert all("UID" in e and "DTSTAMP" in e for e in events)
    assert [z["TZID"] for z in feed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    booth = next(e for e in events if str(e["UID"]).startswith("booth-"))
    assert booth["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert booth.decoded("DTSTART").hour == 8 and booth.decoded("DTEND").hour == 12
    assert Calendar.from_ical(feed.to_ical()).to_ical() == body
    assert b"DTSTAMP:" in body and body.count(b"BEGIN:VTIMEZONE") == 1
