"""The gig API: bounded inputs refused in both languages, a public list without contacts, sign-ins
by ID number (offline ones kept once), the candidates with their reasons, dispatches."""

import uuid

from django.utils import timezone

from linju.accounts.tests.factories import bearer
from linju.audit.models import AuditEvent
from linju.gigs.models import Dispatch, Gig, SignIn
from linju.gigs.tests.conftest import post
from linju.jobs.services import seeker_register
from linju.people.tests.factories import ResidentFactory

JSON = "application/json"


def test_the_public_list_has_the_days_gigs_and_no_contact(client, gig_market):
    body = client.get("/api/v1/gigs", {"town": gig_market.yongxin.code}).json()
    assert [g["title"] for g in body] == ["采摘柑橘"]
    assert body[0]["place"] == "market:market-shengping" and body[0]["pay_words"]
    assert "contact_phone" not in body[0] and "13800001111" not in str(body)


def test_posting_a_gig_takes_a_few_fields(client, gig_market):
    answer = client.post(
        "/api/v1/gigs",
        {
            "place": "market:market-shengping",
            "work_type": "cleaning",
            "pay": "120",
            "employer_name": "升平卫生院(示例)",
            "contact_phone": "13800002222",
        },
        content_type=JSON,
        **bearer(gig_market.cadre),
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["title"] == "保洁" and answer.json()["starts_on"] == timezone.localdate().isoformat()


def test_a_wrong_gig_is_refused_in_both_languages_field_by_field(client, gig_market):
    answer = client.post(
        "/api/v1/gigs",
        {
            "place": "market:market-shengping",
            "work_type": "cleaning",
            "pay": "120",
            "employer_name": "x",
            "contact_phone": "1",
        },
        content_type=JSON,
        **bearer(gig_market.cadre),
    )
    assert answer.status_code == 400
    body = answer.json()
    assert "contact_phone" in body["errors"] and body["message_zh"] != body["message_en"]
    too_long = client.post(
        "/api/v1/gigs",
        {"place": "x" * 51, "work_type": "c", "pay": "1", "employer_name": "x", "contact_phone": "1"},
        content_type=JSON,
        **bearer(gig_market.cadre),
    )
    assert too_long.status_code == 422


def test_a_gig_in_a_village_of_another_town_is_refused_in_words(client, gig_market):
    """Posting through the API names a village of the poster's towns: another town's is not found,
    said in both languages, and nothing is posted."""
    answer = client.post(
        "/api/v1/gigs",
        {
            "place": "market:market-shengping",
            "work_type": "cleaning",
            "village": gig_market.longjing.code,
            "pay": "120",
            "employer_name": "升平卫生院(示例)",
            "contact_phone": "13800002222",
        },
        content_type=JSON,
        **bearer(gig_market.cadre),
    )
    assert answer.status_code == 404, answer.content
    body = answer.json()
    assert "village" in body["errors"] and body["message_zh"] != body["message_en"]
    assert not Gig.objects.filter(village=gig_market.longjing).exists()


def test_a_worker_reaching_a_village_of_another_town_is_refused_in_words(client, gig_market):
    answer = client.post(
        "/api/v1/gig-workers",
        {
            "resident_id": ResidentFactory(village=gig_market.jingshan).pk,
            "villages": [gig_market.longjing.code],
        },
        content_type=JSON,
        **bearer(gig_market.cadre),
    )
    assert answer.status_code == 400, answer.content
    assert "villages" in answer.json()["errors"]


def test_a_sign_in_sent_twice_by_the_field_app_is_kept_once(client, gig_market):
    payload = {
        "place": "market:market-shengping",
        "id_number": gig_market.li.id_number,
        "client_ref": str(uuid.uuid4()),
        "signed_in_at": timezone.now().isoformat(),
    }
    first = client.post("/api/v1/gig-sign-ins", payload, content_type=JSON, **bearer(gig_market.cadre))
    again = client.post("/api/v1/gig-sign-ins", payload, content_type=JSON, **bearer(gig_market.cadre))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and SignIn.objects.count() == 1
    assert gig_market.li.id_number not in first.content.decode()  # masked


def test_an_unknown_number_and_a_stranger_get_the_same_answer(client, gig_market):
    answers = set()
    for number in (gig_market.zhou.id_number, gig_market.wansheng_resident.id_number):
        answer = client.post(
            "/api/v1/gig-sign-ins",
            {"place": "market:market-shengping", "id_number": number},
            content_type=JSON,
            **bearer(gig_market.cadre),
        )
        assert answer.status_code == 404
        answers.add(answer.content)
    assert len(answers) == 1


def test_the_candidates_come_in_order_with_reasons_and_are_recorded(client, gig_market):
    token = bearer(gig_market.cadre)
    for resident in (gig_market.dai, gig_market.li):
        client.post(
            "/api/v1/gig-sign-ins",
            {"place": "market:market-shengping", "id_number": resident.id_number},
            content_type=JSON,
            **token,
        )
    body = client.get(f"/api/v1/gigs/{gig_market.picking.pk}/candidates", **token).json()
    assert [c["position"] for c in body["candidates"]] == [1, 2]
    assert {c["worker_id"] for c in body["candidates"]} == {gig_market.dai_worker.pk, gig_market.li_worker.pk}
    assert all(len(c["reasons"]) == 3 for c in body["candidates"])
    assert AuditEvent.objects.filter(detail__what="gig_candidates").count() == 1
    second = body["candidates"][1]["worker_id"]
    sent = client.post(
        f"/api/v1/gigs/{gig_market.picking.pk}/dispatches",
        {"worker_id": second, "others": "absent"},
        content_type=JSON,
        **token,
    )
    assert sent.status_code == 201, sent.content
    assert sent.json()["position"] == 2 and sent.json()["passed_over"][0]["position"] == 1
    assert Dispatch.objects.get().worker_id == second


def test_a_leader_and_another_towns_cadre_are_refused(client, gig_market):
    assert (
        client.get(
            f"/api/v1/gigs/{gig_market.picking.pk}/candidates", **bearer(gig_market.leader)
        ).status_code
        == 403
    )
    assert (
        client.get(
            f"/api/v1/gigs/{gig_market.picking.pk}/candidates", **bearer(gig_market.dongxi_cadre)
        ).status_code
        == 404
    )


def test_a_job_seeker_is_marked_as_taking_gigs_over_the_api(client, gig_market):
    seeker = seeker_register(
        actor=gig_market.dongxi_cadre,
        resident_id=gig_market.zhou.pk,
        education=2,
        skills=["cleaning"],
        max_commute_minutes=40,
        shifts=["day"],
        wage_wanted=3000,
    )
    answer = client.post(
        "/api/v1/gig-workers", {"seeker_id": seeker.pk}, content_type=JSON, **bearer(gig_market.dongxi_cadre)
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["work_types"] == ["cleaning"] and answer.json()["villages"] == [
        gig_market.longjing.code
    ]
    nobody = client.post("/api/v1/gig-workers", {}, content_type=JSON, **bearer(gig_market.dongxi_cadre))
    assert nobody.status_code == 400 and "resident_id" in nobody.json()["errors"]


def test_a_day_past_the_served_years_is_refused_in_words_not_carried_into_date_arithmetic(client, gig_market):
    public = client.get("/api/v1/gigs", {"first": "9999-12-31"})
    assert public.status_code == 400 and "first" in public.json()["errors"]
    gig = post(gig_market)
    candidates = client.get(
        f"/api/v1/gigs/{gig.pk}/candidates", {"day": "9999-12-31"}, **bearer(gig_market.cadre)
    )
    assert candidates.status_code == 400 and "day" in candidates.json()["errors"]
