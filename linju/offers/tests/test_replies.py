"""Texts sent back through the gateway (POST /api/v1/outreach/sms-replies, key-guarded): 1, 2, 3 answer
the offer whose text reached the phone last; TD stops booth and offer texts; anything else is kept
for a person to read; an unknown number learns nothing; the same reply twice changes nothing."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from linju.cases.models import Case
from linju.offers.models import Offer, TextReply
from linju.offers.services.channels import offers_bring
from linju.offers.services.replies import reply_answer
from linju.offers.tests.factories import offered_rule, open_offer
from linju.outreach.models import BoothReminder, HomeTask
from linju.outreach.services import booth_reminder_opt_in
from linju.people.tests.factories import ResidentFactory

KEY = "gateway-secret"
TZ = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def rw(served):
    rule = offered_rule(served.ui)
    return served | {"rule": rule, "md_rule": offered_rule(served.md, offer_zh="您可以申请医疗救助")}


def reply(client, phone: str, text: str):
    with override_settings(LINJU_SMS_REPLY_KEY=KEY):
        return client.post(
            "/api/v1/outreach/sms-replies",
            {"phone": phone, "text": text},
            content_type="application/json",
            HTTP_X_GATEWAY_KEY=KEY,
        )


def texted(rw, rule=None, resident=None, day=1, **fields) -> Offer:
    moment = datetime.datetime(2026, 12, day, 10, 0, tzinfo=TZ)
    return open_offer(
        resident or rw["dai"], rule or rw["rule"], rw["cadre"], texted_at=moment, approved_at=moment, **fields
    )


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("1", "yes"),
        (" 2 ", "no"),
        ("３", "help"),
        ("１", "yes"),
        ("\t3\n", "help"),
        ("4", ""),
        ("1 2", ""),
        ("是", ""),
    ],
)
def test_a_reply_is_one_of_the_three_digits_full_width_too_and_trimmed(text, answer):
    assert reply_answer(text) == answer


def test_a_reply_of_1_makes_one_case_and_the_same_reply_again_changes_nothing(rw, client):
    offer = texted(rw)
    assert reply(client, "+86 139 1234 5678", "1").json() == {"withdrawn": False}
    offer.refresh_from_db()
    assert (offer.status, offer.answer, offer.answered_via, offer.answered_by) == (
        "confirmed",
        "yes",
        "sms",
        None,
    )
    case = offer.case
    assert (case.applicant, case.item, case.channel) == (rw["dai"], rw["ui"], "offer")
    reply(client, rw["dai"].phone, "１")
    reply(client, rw["dai"].phone, "1")
    offer.refresh_from_db()
    assert offer.case == case and Case.objects.count() == 1
    assert list(TextReply.objects.values_list("kind", flat=True)) == ["answer"]


def test_a_reply_of_2_declines_and_3_asks_for_a_cadre_each_once(rw, client):
    declined = texted(rw)
    reply(client, rw["dai"].phone, "2")
    reply(client, rw["dai"].phone, "2")
    declined.refresh_from_db()
    assert (declined.status, declined.answer) == ("declined", "no")
    other = ResidentFactory(village=rw["jingshan"])
    helped = texted(rw, resident=other)
    reply(client, other.phone, " 3")
    reply(client, other.phone, "3 ")
    helped.refresh_from_db()
    assert helped.status == "help" and helped.home_task is not None
    assert HomeTask.objects.filter(resident=other).count() == 1
    assert not Case.objects.exists()


def test_a_reply_answers_the_offer_last_texted_to_the_phone_not_an_older_or_an_unsent_one(rw, client):
    older = texted(rw, day=1)
    newer = texted(rw, rule=rw["md_rule"], day=2)
    pension = offered_rule(rw["pe"], offer_zh="您可以办理宅基地复垦户养老保险")
    unsent = open_offer(rw["dai"], pension, rw["cadre"])  # approved, waiting for tomorrow's text
    reply(client, rw["dai"].phone, "2")
    for offer in (older, newer, unsent):
        offer.refresh_from_db()
    assert (older.status, newer.status, unsent.status) == ("open", "declined", "open")
    reply(client, rw["dai"].phone, "2")  # again: the newest text was answered so; nothing changes
    older.refresh_from_db()
    assert older.status == "open"


def test_before_any_text_went_a_reply_answers_the_newest_approved_open_offer(rw, client):
    """Approved at night, its text waiting for 08:00: a cadre told them, and they reply."""
    older = open_offer(
        rw["dai"], rw["rule"], rw["cadre"], approved_at=datetime.datetime(2026, 12, 1, 22, tzinfo=TZ)
    )
    newer = open_offer(
        rw["dai"], rw["md_rule"], rw["cadre"], approved_at=datetime.datetime(2026, 12, 2, 22, tzinfo=TZ)
    )
    reply(client, rw["dai"].phone, "2")
    older.refresh_from_db(), newer.refresh_from_db()
    assert (older.status, newer.status) == ("open", "declined")


def test_a_reminder_makes_its_offer_the_one_a_reply_answers(rw, client):
    older = texted(rw, day=1, reminded_at=datetime.datetime(2026, 12, 4, 8, 0, tzinfo=TZ))
    newer = texted(rw, rule=rw["md_rule"], day=2)
    reply(client, rw["dai"].phone, "2")
    older.refresh_from_db(), newer.refresh_from_db()
    assert (older.status, newer.status) == ("declined", "open")


def test_a_different_digit_after_an_answer_is_kept_for_a_person_to_read(rw, client):
    offer = texted(rw)
    reply(client, rw["dai"].phone, "2")
    reply(client, rw["dai"].phone, "1")
    offer.refresh_from_db()
    assert offer.status == "declined" and not Case.objects.exists()
    kept = TextReply.objects.get(kind="to_read")
    assert (kept.text, kept.offer, kept.resident) == ("1", offer, rw["dai"])


def test_td_stops_booth_texts_and_offer_texts_the_next_offer_goes_by_a_cadre(rw, client):
    booth_reminder_opt_in(actor=rw["cadre"], resident_id=rw["dai"].pk, channel="booth")
    assert reply(client, rw["dai"].phone, " td ").json() == {"withdrawn": True}
    assert reply(client, rw["dai"].phone, "退订").json() == {"withdrawn": True}
    assert BoothReminder.objects.get(resident=rw["dai"]).withdrawn_via == "reply"
    assert TextReply.objects.filter(kind="stop").count() == 1
    offer = open_offer(rw["dai"], rw["rule"], rw["cadre"])
    brought = offers_bring(now=datetime.datetime(2026, 12, 7, 10, 0, tzinfo=TZ))
    assert (brought.texted, brought.home_tasks) == (0, 1)
    offer.refresh_from_db()
    assert offer.reach == "home_task"


def test_anything_else_is_kept_once_for_a_person_of_the_town_to_read(rw, client):
    texted(rw)
    reply(client, rw["dai"].phone, "请问要带什么材料?")
    reply(client, rw["dai"].phone, "请问要带什么材料?")  # the gateway again
    kept = TextReply.objects.get()
    assert (kept.kind, kept.resident, kept.village) == ("to_read", rw["dai"], rw["jingshan"])
    client.force_login(rw["dongxi_cadre"])
    assert "请问要带什么材料" not in client.get(reverse("texts-received")).content.decode()
    client.force_login(rw["cadre"])
    page = client.get(reverse("texts-received")).content.decode()
    assert "请问要带什么材料" in page and "139****5678" in page and rw["dai"].phone not in page
    client.post(reverse("text-read", args=[kept.pk]))
    kept.refresh_from_db()
    assert kept.read_by == rw["cadre"] and kept.read_at is not None
    assert "请问要带什么材料" not in client.get(reverse("texts-received")).content.decode()


def test_the_texts_received_page_reads_in_a_fixed_number_of_queries(rw, client, django_assert_num_queries):
    for n in range(5):
        resident = ResidentFactory(village=rw["jingshan"])
        TextReply.objects.create(
            bureau=resident.bureau,
            phone=resident.phone,
            text=f"问题{n}",
            kind="to_read",
            resident=resident,
            village=rw["jingshan"],
            offer=texted(rw, resident=resident),
        )
    client.force_login(rw["cadre"])
    client.get(reverse("texts-received"))
    with django_assert_num_queries(4):
        assert client.get(reverse("texts-received")).status_code == 200


def test_leaders_do_not_read_residents_texts(rw, client):
    client.force_login(rw["leader"])
    assert client.get(reverse("texts-received")).status_code == 403


@pytest.mark.parametrize("text", ["1", "TD", "请回电", "2"])
def test_an_unknown_or_malformed_number_learns_nothing(rw, client, text):
    texted(rw)
    known = reply(client, rw["dai"].phone, text)
    unknown = reply(client, "13700009999", text)
    malformed = reply(client, "abc", text)
    assert known.status_code == unknown.status_code == malformed.status_code == 200
    assert known.json() == unknown.json() == malformed.json()
    assert not TextReply.objects.filter(phone="13700009999").exists()


def test_without_the_gateways_key_nothing_happens(rw, client):
    offer = texted(rw)
    with override_settings(LINJU_SMS_REPLY_KEY=KEY):
        refused = client.post(
            "/api/v1/outreach/sms-replies",
            {"phone": rw["dai"].phone, "text": "1"},
            content_type="application/json",
            HTTP_X_GATEWAY_KEY="guess",
        )
    assert refused.status_code == 404
    offer.refresh_from_db()
    assert offer.status == "open"
