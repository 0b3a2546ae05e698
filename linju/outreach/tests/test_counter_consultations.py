"""一次一评 at a counter: a question answered at a township station's or the district hall's counter,
with no case, is logged within the actor's towns and gets a slip; the person rates the visit with
its code, once, by the counter channel, in the station's town (at the hall, the person's). The
rating reaches the callbacks, the public page and the province as a booth's does."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from linju.accounts.tests.factories import bearer
from linju.cases.models import FollowUp, Rating
from linju.cases.rating_selectors import public_monthly_figures
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.exchange.models import Message
from linju.exchange.standin import province_validator
from linju.outreach.models import BoothSession, Consultation
from linju.outreach.services import consultation_rate, counter_consultation_log

COUNTER_PAGE = "/staff/outreach/counter/"


def test_a_consultation_at_neither_or_both_a_booth_and_a_counter_is_refused_by_the_database(served):
    booth = BoothSession.objects.create(market=served.market, date=timezone.localdate())
    common = {
        "bureau": served.yongxin.bureau,
        "town": served.yongxin,
        "note": "问路",
        "outcome": "answered",
        "created_by": served.cadre,
    }
    for place in ({}, {"booth": booth, "service_point": served.station}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Consultation.objects.create(**common, **place)
    Consultation.objects.create(**common, booth=booth)
    Consultation.objects.create(**common, service_point=served.station)
    assert Consultation.objects.count() == 2


def test_a_question_at_another_towns_station_or_the_hall_is_refused_to_a_cadre_in_words(served):
    with pytest.raises(NotFound) as refused:
        counter_consultation_log(actor=served.cadre, service_point_code="station-dx", note="问路")
    assert refused.value.field == "service_point_code"
    assert "请选择您所服务镇街的社保服务所" in str(refused.value.text())
    with pytest.raises(NotFound):  # the hall is district staff's
        counter_consultation_log(actor=served.cadre, service_point_code="hall-qj", note="问路")
    with pytest.raises(NotFound):  # another bureau's staff
        counter_consultation_log(actor=served.ws_staff, service_point_code="station-yx", note="问路")
    with pytest.raises(PermissionDenied):  # leaders read figures
        counter_consultation_log(actor=served.leader, service_point_code="station-yx", note="问路")
    assert not Consultation.objects.exists()


def test_a_counter_question_needs_a_topic_or_a_note_and_a_key_sent_twice_logs_once(served):
    with pytest.raises(DomainError):
        counter_consultation_log(actor=served.cadre, service_point_code="station-yx", note="  ")
    first = counter_consultation_log(
        actor=served.cadre, service_point_code="station-yx", item_code="UI-002", idempotency_key="k-1"
    )
    again = counter_consultation_log(
        actor=served.cadre, service_point_code="station-yx", item_code="UI-002", idempotency_key="k-1"
    )
    assert first.pk == again.pk and Consultation.objects.count() == 1
    assert (first.service_point, first.booth, first.town) == (served.station, None, served.yongxin)


def test_a_counter_visit_is_rated_once_by_its_slip_with_the_counter_channel_and_the_stations_town(
    served, client
):
    asked = counter_consultation_log(actor=served.cadre, service_point_code="station-yx", item_code="UI-002")
    assert asked.slip_code.startswith("ZX") and len(asked.slip_code) == 10
    page = client.post("/rate/", {"slip_code": asked.slip_code.lower(), "level": 5, "comment": ""})
    assert page.status_code == 200
    rating = Rating.objects.get(consultation=asked)
    assert (rating.source, rating.channel, rating.town, rating.rated_staff, rating.item) == (
        "slip",
        "counter",
        served.yongxin,
        served.cadre,
        served.ui,
    )
    again = client.post("/rate/", {"slip_code": asked.slip_code, "level": 1, "comment": ""})
    assert again.status_code == 409 and Rating.objects.count() == 1
    with pytest.raises(Conflict):
        consultation_rate(slip_code=asked.slip_code, level=1)


def test_a_staff_session_or_key_may_not_rate_a_counter_visit(served, client):
    asked = counter_consultation_log(actor=served.cadre, service_point_code="station-yx", note="问社保卡")
    form = {"slip_code": asked.slip_code, "level": 5, "comment": ""}
    with_key = client.post("/rate/", form, **bearer(served.cadre))
    assert with_key.status_code == 403
    client.force_login(served.cadre)
    by_session = client.post("/rate/", form)
    assert by_session.status_code == 403 and "Only the resident" in by_session.content.decode()
    assert not Rating.objects.exists()


def test_a_named_poor_counter_rating_opens_a_callback_as_a_booths_does(served):
    named = counter_consultation_log(
        actor=served.cadre, service_point_code="station-yx", item_code="UI-002", resident_id=served.dai.pk
    )
    unnamed = counter_consultation_log(actor=served.cadre, service_point_code="station-yx", note="问路")
    consultation_rate(slip_code=named.slip_code, level=1, comment="排队太久")
    consultation_rate(slip_code=unnamed.slip_code, level=1)
    callback = FollowUp.objects.get()
    assert callback.rating.consultation == named and callback.case is None
    assert callback.town == served.yongxin and callback.assigned_to != served.cadre
    assert named.slip_code in callback.reason


def test_a_question_at_the_district_hall_counts_in_the_persons_town_else_the_halls(served):
    for_dai = counter_consultation_log(
        actor=served.staff, service_point_code="hall-qj", note="问养老", resident_id=served.dai.pk
    )
    nobody = counter_consultation_log(actor=served.staff, service_point_code="hall-qj", note="问路")
    assert (for_dai.town, nobody.town) == (served.yongxin, served.dongxi)
    served.hall.town = None
    served.hall.save()
    with pytest.raises(DomainError) as refused:
        counter_consultation_log(actor=served.staff, service_point_code="hall-qj", note="问路")
    assert refused.value.field == "resident_id"
    rating = consultation_rate(slip_code=for_dai.slip_code, level=4)
    assert (rating.channel, rating.town) == ("counter", served.yongxin)


def test_the_public_page_and_the_province_read_a_counter_rating_with_its_town(served, client):
    asked = counter_consultation_log(actor=served.cadre, service_point_code="station-yx", note="问路")
    consultation_rate(slip_code=asked.slip_code, level=2)
    rows = [r for r in public_monthly_figures() if r.town == "永新镇"]
    assert [(r.ratings, r.figures.bad) for r in rows] == [(1, 1)]
    page = client.get("/ratings/").content.decode()
    assert "永新镇" in page
    payload = Message.objects.get(kind="rating").payload
    assert province_validator().is_valid(payload)
    assert payload["case_number"] == asked.slip_code
    assert payload["region_code"] == served.yongxin.code
    assert payload["service_code"] == "consultation"
    assert (payload["channel"], payload["rating_source"]) == ("counter", "slip")


def test_the_counter_api_logs_a_question_and_answers_its_slip_code(served, client):
    auth = bearer(served.cadre)
    url = "/api/v1/outreach/counters/station-yx/consultations"
    body = {"item_code": "UI-002", "note": "", "idempotency_key": "tablet-1"}
    made = client.post(url, body, content_type="application/json", **auth)
    assert made.status_code == 201
    assert made.json()["slip_code"] == Consultation.objects.get().slip_code
    twice = client.post(url, body, content_type="application/json", **auth)
    assert twice.json()["id"] == made.json()["id"]
    listed = client.get("/api/v1/outreach/counters", **auth).json()
    assert [c["code"] for c in listed] == ["station-yx"]


def test_the_counter_api_refuses_in_words(served, client):
    auth = bearer(served.cadre)
    other = client.post(
        "/api/v1/outreach/counters/station-dx/consultations",
        {"note": "问路"},
        content_type="application/json",
        **auth,
    )
    assert other.status_code == 404 and "station" in other.content.decode()
    too_long = client.post(
        "/api/v1/outreach/counters/station-yx/consultations",
        {"note": "问" * 301},
        content_type="application/json",
        **auth,
    )
    assert too_long.status_code == 422 and too_long.json()["errors"] == {"note": ["文字太长。"]}
    empty = client.post(
        "/api/v1/outreach/counters/station-yx/consultations",
        {"note": ""},
        content_type="application/json",
        **auth,
    )
    assert empty.status_code == 400 and "note" in empty.content.decode()
    leader = client.post(
        "/api/v1/outreach/counters/station-yx/consultations",
        {"note": "问路"},
        content_type="application/json",
        **bearer(served.leader),
    )
    assert leader.status_code == 403
    assert not Consultation.objects.exists()


def test_the_counter_page_logs_a_question_once_and_shows_its_slip(served, client):
    client.force_login(served.cadre)
    page = client.get(COUNTER_PAGE, {"resident": served.dai.pk})
    assert page.status_code == 200
    text = page.content.decode()
    assert "永新镇社保服务所" in text and "失业保险金申领" in text and "代云峰" in text
    form = {
        "service_point_code": "station-yx",
        "item_code": "UI-002",
        "note": "",
        "resident_id": served.dai.pk,
        "idempotency_key": "page-key-1",
    }
    done = client.post(COUNTER_PAGE, form)
    again = client.post(COUNTER_PAGE, form)  # the button pressed twice
    asked = Consultation.objects.get()
    assert done.status_code == 302 and again["Location"] == done["Location"]
    assert asked.resident == served.dai and asked.town == served.yongxin
    slip = client.get(done["Location"]).content.decode()
    assert asked.slip_code in slip and f"/rate/?code={asked.slip_code}" in slip
    assert "Nothing yet." not in slip  # today's list holds it


def test_the_counter_page_refuses_another_towns_station_and_an_empty_question(served, client):
    client.force_login(served.cadre)
    other = client.post(COUNTER_PAGE, {"service_point_code": "station-dx", "note": "问路"})
    assert other.status_code == 400  # not among the choices
    empty = client.post(COUNTER_PAGE, {"service_point_code": "station-yx", "note": ""})
    assert empty.status_code == 400 and "请选择咨询事项或写下备注。" in empty.content.decode()
    assert not Consultation.objects.exists()


def test_the_booth_page_shows_the_same_slip(served, client):
    booth = BoothSession.objects.create(market=served.market, date=timezone.localdate())
    booth.staff.add(served.cadre)
    booth.items.add(served.ui)
    client.force_login(served.cadre)
    done = client.post(f"/staff/outreach/booths/{booth.pk}/", {"item_code": "UI-002", "note": ""})
    asked = Consultation.objects.get()
    slip = client.get(done["Location"]).content.decode()
    assert 'id="slip"' in slip and asked.slip_code in slip and "升平片场" in slip


def test_the_counter_page_reads_a_bounded_number_of_queries(served, client, django_assert_num_queries):
    for n in range(3):
        counter_consultation_log(actor=served.cadre, service_point_code="station-yx", note=f"问题{n}")
    asked = Consultation.objects.first()
    client.force_login(served.cadre)
    client.get(COUNTER_PAGE)  # warm the held catalogue
    with django_assert_num_queries(5):
        page = client.get(COUNTER_PAGE, {"slip": asked.slip_code})
    assert page.status_code == 200 and asked.slip_code in page.content.decode()
