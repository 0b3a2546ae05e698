"""Granted without application: approving offers of an item granted on the data takes each case and
decides it granted at once (nothing before the approval); the person is told once, by text (one a
day, never at night) or by a cadre, what was granted and until which working day to object; an
objection by reply 4, on the page or heard by staff reopens the case within that time, is refused
after it, and counts once."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from linju.cases.models import Case, CaseEvent
from linju.conftest_world import ServedTowns, at
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.eligibility.models import EligibilityRule
from linju.notify.models import OutboxMessage
from linju.offers.models import Offer, TextReply
from linju.offers.services import sending
from linju.offers.services.approval import offers_approve, offers_hold
from linju.offers.services.granting import granted_bring, offer_object
from linju.offers.services.replies import text_reply_receive
from linju.outreach.models import HomeTask
from linju.people.tests.factories import ResidentFactory
from linju.workdays.selectors import add_working_days

from .factories import make_offer, offered_rule, rule_version

TODAY = datetime.date(2026, 12, 7)  # a Monday


@dataclasses.dataclass(frozen=True)
class GrantedOnData(ServedTowns):
    granted_rule: EligibilityRule  # UI-002, granted on the data, 5 working days to object
    asked_rule: EligibilityRule  # MD-005, offered and asked for as usual


@pytest.fixture
def granting(served) -> GrantedOnData:
    served.ui.granted_on_data, served.ui.objection_days = True, 5
    served.ui.save()
    return served.grown(
        GrantedOnData,
        granted_rule=offered_rule(served.ui, description="参保满1年且非本人意愿失业"),
        asked_rule=offered_rule(served.md, offer_zh="您可能可以申请医疗救助"),
    )


@pytest.fixture
def told(monkeypatch):
    calls = []
    monkeypatch.setattr(sending, "granted_offers_told", lambda ids: calls.append(sorted(ids)))
    return calls


def _granted(world, resident=None, today=TODAY, **fields) -> Offer:
    """An offer of the granted item to `resident` (代 by default), approved by district staff."""
    offer = make_offer(resident or world.dai, world.granted_rule, **fields)
    offers_approve(actor=world.staff, today=today)
    offer.refresh_from_db()
    return offer


def test_approval_takes_the_case_and_decides_it_granted_by_the_system_user(
    granting, told, django_capture_on_commit_callbacks
):
    offer = make_offer(granting.dai, granting.granted_rule)
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_approve(actor=granting.staff, today=TODAY) == 1
    offer.refresh_from_db()
    case = Case.objects.get()
    assert (offer.status, offer.case, offer.reach, offer.approved_by) == (
        Offer.Status.GRANTED,
        case,
        Offer.Reach.TEXT,
        granting.staff,
    )
    assert offer.expires_on == add_working_days(TODAY, 5).date
    assert (case.channel, case.applicant, case.status, case.outcome) == (
        "offer",
        granting.dai,
        Case.Status.FINISHED,
        Case.Outcome.GRANTED,
    )
    assert case.outcome_rule == f"参保满1年且非本人意愿失业(第{rule_version(granting.granted_rule)}版)"
    assert "失业保险金申领" in case.outcome_detail and "无需申请" in case.outcome_detail
    assert "5个工作日" in case.outcome_detail
    assert case.taken_by.username.startswith("linju-system-")
    assert list(case.events.values_list("action", "actor__username")) == [
        ("accept", case.taken_by.username),
        ("finish", case.taken_by.username),
    ]
    # the case texts nothing of itself: the grant's notice tells the person, after the commit
    assert not OutboxMessage.objects.exists()
    assert told == [[offer.pk]]


def test_nothing_is_decided_before_a_person_approved_the_batch(granting, told):
    offer = make_offer(granting.dai, granting.granted_rule)
    assert offers_hold(actor=granting.staff) == 1
    assert not Case.objects.exists() and told == []
    assert offers_approve(actor=granting.staff, held=True, today=TODAY) == 1
    offer.refresh_from_db()
    assert offer.status == Offer.Status.GRANTED and offer.case.status == Case.Status.FINISHED


def test_one_approval_grants_the_granted_item_and_opens_the_others_for_an_answer(granting, told, monkeypatch):
    opened = []
    monkeypatch.setattr(sending, "offers_approved", lambda ids: opened.append(sorted(ids)))
    granted = make_offer(granting.dai, granting.granted_rule)
    asked = make_offer(granting.dai, granting.asked_rule)
    assert offers_approve(actor=granting.staff, today=TODAY) == 2
    granted.refresh_from_db(), asked.refresh_from_db()
    assert (granted.status, asked.status, asked.case) == (Offer.Status.GRANTED, Offer.Status.OPEN, None)
    assert Case.objects.count() == 1


def test_a_resident_who_applied_meanwhile_keeps_their_own_case_and_the_offer_is_withdrawn(granting, told):
    from linju.cases.services import Intake, case_accept

    own = case_accept(
        actor=granting.cadre,
        intake=Intake(
            item_code="UI-002",
            channel="counter",
            applicant_id=granting.dai.pk,
            service_point_code="station-yx",
            materials_received=["居民身份证"],
        ),
    )
    offer = make_offer(granting.dai, granting.granted_rule)
    assert offers_approve(actor=granting.staff, today=TODAY) == 0
    offer.refresh_from_db()
    assert (offer.status, offer.case) == (Offer.Status.WITHDRAWN, None)
    assert list(Case.objects.all()) == [own]
    assert told == []


def test_the_text_says_what_was_granted_and_until_which_date_to_object(granting, told, settings):
    settings.LINJU_PUBLIC_URL = "https://linju.example.gov.cn"
    offer = _granted(granting)
    brought = granted_bring(now=at(2026, 12, 8))
    assert (brought.texted, brought.waiting, brought.home_tasks) == (1, 0, 0)
    (text,) = OutboxMessage.objects.all()
    until = add_working_days(datetime.date(2026, 12, 8), 5).date  # counted from the day it is sent
    assert text.template == "offer_granted" and text.purpose == "offer"
    assert text.text.startswith("【綦江人社】经数据比对,您符合条件(参保满1年且非本人意愿失业)")
    assert "已为您办理失业保险金申领,无需申请" in text.text
    assert f"请于{until.year}年{until.month}月{until.day}日前回复4" in text.text
    assert f"https://linju.example.gov.cn/o/{offer.token}" in text.text
    offer.refresh_from_db()
    assert (offer.texted_at, offer.expires_on) == (at(2026, 12, 8), until)
    assert granted_bring(now=at(2026, 12, 9)).texted == 0  # told once
    assert OutboxMessage.objects.count() == 1


def test_the_grants_text_waits_for_the_morning_and_for_the_phones_next_day(granting, told):
    offer = _granted(granting)
    night = datetime.datetime.combine(TODAY, datetime.time(22, 30), tzinfo=at(2026, 1, 1).tzinfo)
    assert granted_bring(now=night).waiting == 1 and not OutboxMessage.objects.exists()
    # the phone had an offer text today: the grant's waits for tomorrow
    OutboxMessage.objects.create(
        bureau_id=offer.bureau_id,
        phone=granting.dai.phone,
        text="…",
        purpose="offer",
        reference="offer-20261208",
    )
    assert granted_bring(now=at(2026, 12, 8)).waiting == 1
    assert granted_bring(now=at(2026, 12, 9)).texted == 1


def test_over_75_or_without_a_mobile_a_cadre_is_sent_with_the_date_to_object(granting, told):
    elder = ResidentFactory(village=granting.jingshan, birth_date=datetime.date(1940, 1, 1))
    landline = ResidentFactory(village=granting.jingshan, phone="023-48621234")
    stopped = ResidentFactory(village=granting.jingshan, phone="13800001111")
    TextReply.objects.create(
        bureau_id=stopped.bureau_id,
        phone=stopped.phone,
        text="TD",
        kind=TextReply.Kind.STOP,
        resident=stopped,
        village=stopped.village,
    )
    for person in (elder, landline, stopped):
        make_offer(person, granting.granted_rule)
    offers_approve(actor=granting.staff, today=TODAY)
    brought = granted_bring(now=at(2026, 12, 8))
    assert (brought.texted, brought.home_tasks) == (0, 3)
    due = add_working_days(datetime.date(2026, 12, 8), 10).date
    until = add_working_days(due, 5).date
    for offer in Offer.objects.all():
        assert offer.reach == Offer.Reach.HOME_TASK and offer.expires_on == until
        assert offer.home_task.due_date == due and offer.home_task.item == granting.ui
        assert f"{until.year}年{until.month}月{until.day}日" in offer.home_task.note
        assert "异议" in offer.home_task.note
    assert granted_bring(now=at(2026, 12, 9)).home_tasks == 0
    assert HomeTask.objects.count() == 3


def test_reply_4_within_the_time_reopens_the_case_with_a_new_promise_and_once(
    granting, told, django_capture_on_commit_callbacks
):
    offer = _granted(granting)
    granted_bring(now=at(2026, 12, 8))
    with django_capture_on_commit_callbacks(execute=True):
        kept = text_reply_receive(phone=granting.dai.phone, text=" ４ ")
    assert kept.kind == TextReply.Kind.ANSWER and kept.offer == offer
    case = Case.objects.get()
    assert (case.status, case.outcome, case.closed_at) == (Case.Status.IN_PROGRESS, "", None)
    assert case.promised_date == add_working_days(case.clock_from, 5).date and case.clock_days == 5
    (event,) = case.events.filter(action=CaseEvent.Action.REOPEN)
    assert event.actor.username.startswith("linju-system-") and event.note == "异议:回复短信提出"
    assert event.detail["previous_outcome"] == "granted" and event.from_status == "finished"
    assert event.detail["promised_date"] == case.promised_date.isoformat()
    (received,) = OutboxMessage.objects.filter(purpose="reopened")
    assert received.phone == granting.dai.phone and case.number in received.text
    # the same objection again changes nothing
    assert text_reply_receive(phone=granting.dai.phone, text="4") is None
    again = offer_object(offer=offer, via="link")
    assert not again.changed and again.case == case
    assert case.events.filter(action=CaseEvent.Action.REOPEN).count() == 1
    assert Case.objects.get().version == case.version


def test_after_the_time_an_objection_is_refused_in_plain_words_and_a_reply_kept_to_read(granting, told):
    offer = _granted(granting)
    granted_bring(now=at(2026, 12, 8))
    offer.refresh_from_db()
    late = datetime.datetime.combine(
        offer.expires_on + datetime.timedelta(days=1), datetime.time(10), tzinfo=at(2026, 1, 1).tzinfo
    )
    with pytest.raises(Conflict) as refused:
        offer_object(offer=offer, via="sms", now=late)
    until = offer.expires_on
    assert refused.value.code == "objection_too_late"
    assert f"{until.year}年{until.month}月{until.day}日" in refused.value.text()
    Offer.objects.filter(pk=offer.pk).update(expires_on=datetime.date(2026, 12, 1))
    kept = text_reply_receive(phone=granting.dai.phone, text="4")
    assert kept.kind == TextReply.Kind.TO_READ
    assert Case.objects.get().status == Case.Status.FINISHED


def test_the_time_to_object_counts_working_days_over_the_national_day_holiday(granting, told):
    """Granted on Tuesday 29 September 2026 with 5 working days: 30 September, then 1–7 October are
    holidays, Saturday 10 October is worked: the last day is Monday 12 October."""
    offer = _granted(granting, today=datetime.date(2026, 9, 29))
    other = _granted(granting, resident=granting.zhou, today=datetime.date(2026, 9, 29))
    assert offer.expires_on == datetime.date(2026, 10, 12) == other.expires_on
    with pytest.raises(Conflict):
        offer_object(offer=other, via="link", now=at(2026, 10, 13))
    assert offer_object(offer=offer, via="link", now=at(2026, 10, 12)).changed
    third = _granted(
        granting, resident=ResidentFactory(village=granting.jingshan), today=datetime.date(2026, 9, 29)
    )
    assert offer_object(offer=third, via="sms", now=at(2026, 10, 3)).changed  # on a holiday, within the time


def test_staff_record_an_objection_heard_with_the_channel_and_their_name(granting, told):
    offer = _granted(granting)
    with pytest.raises(DomainError):
        offer_object(offer=offer, via="phone")  # heard by staff: say who
    with pytest.raises(DomainError):
        offer_object(offer=offer, via="sms", actor=granting.cadre)  # staff say how they heard it
    with pytest.raises(PermissionDenied):
        offer_object(offer=offer, via="phone", actor=granting.leader)
    with pytest.raises(NotFound):
        offer_object(offer=offer, via="visit", actor=granting.dongxi_cadre)  # not their town
    with pytest.raises(NotFound):
        offer_object(offer=offer, via="phone", actor=granting.ws_staff)  # another bureau
    objected = offer_object(offer=offer, via="visit", actor=granting.cadre, reason="本人说已在外地领取")
    (event,) = objected.case.events.filter(action=CaseEvent.Action.REOPEN)
    assert event.actor == granting.cadre and event.note == "异议:上门时提出,工作人员记录"
    assert event.detail["objection"] == "本人说已在外地领取"


def test_an_offer_that_was_not_granted_takes_no_objection(granting, told, monkeypatch):
    monkeypatch.setattr(sending, "offers_approved", lambda ids: None)
    asked = make_offer(granting.dai, granting.asked_rule)
    offers_approve(actor=granting.staff, today=TODAY)
    with pytest.raises(Conflict) as refused:
        offer_object(offer=asked, via="link")
    assert refused.value.code == "offer_not_granted"


def test_the_page_shows_the_decision_and_the_objection_button_within_the_time(granting, told, client):
    offer = _granted(granting, today=datetime.date.today())
    last4 = granting.dai.id_last4
    page = client.post(reverse("offer-link", args=[offer.token]), {"id_last4": last4})
    html = page.content.decode()
    assert page.status_code == 200
    assert "已为您办理失业保险金申领,无需申请" in html
    assert offer.case.number in html and "我有异议" in html
    assert reverse("offer-object", args=[offer.token]) in html
    assert "我要办理" not in html  # nothing to ask for: it is granted
    wrong = client.post(
        reverse("offer-object", args=[offer.token]), {"id_last4": "0000" if last4 != "0000" else "1111"}
    )
    assert wrong.status_code == 404 and Case.objects.get().status == Case.Status.FINISHED
    done = client.post(reverse("offer-object", args=[offer.token]), {"id_last4": last4})
    assert done.status_code == 200 and "我们已收到您的异议" in done.content.decode()
    assert Case.objects.get().status == Case.Status.IN_PROGRESS
    twice = client.post(reverse("offer-object", args=[offer.token]), {"id_last4": last4})
    assert twice.status_code == 200 and CaseEvent.objects.filter(action="reopen").count() == 1


def test_the_page_after_the_time_shows_no_button_and_says_so(granting, told, client):
    offer = _granted(granting, today=datetime.date(2026, 9, 29))
    page = client.post(reverse("offer-link", args=[offer.token]), {"id_last4": granting.dai.id_last4})
    html = page.content.decode()
    assert reverse("offer-object", args=[offer.token]) not in html
    assert '提出异议的期限已于<span class="nobr">2026-10-12</span>结束' in html
    late = client.post(reverse("offer-object", args=[offer.token]), {"id_last4": granting.dai.id_last4})
    assert late.status_code == 409 and "2026年10月12日" in late.content.decode()


def test_the_api_records_an_objection_heard_by_staff_once_and_scoped(granting, told, client):
    from linju.accounts.services import api_token_create

    offer = _granted(granting)
    _token, key = api_token_create(user=granting.cadre, name="t")
    _token, other = api_token_create(user=granting.dongxi_cadre, name="t")
    url = f"/api/v1/offers/{offer.pk}/objection"
    body = {"channel": "phone", "reason": "说不需要"}
    hidden = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {other}")
    assert hidden.status_code == 404
    bad = client.post(
        url, {"channel": "fax"}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert bad.status_code == 400 and Case.objects.get().status == Case.Status.FINISHED
    first = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert first.status_code == 200 and first.json()["changed"] is True
    assert first.json()["case_status"] == "in_progress"
    again = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert again.status_code == 200 and again.json()["changed"] is False
    (event,) = CaseEvent.objects.filter(action="reopen")
    assert event.actor == granting.cadre and event.note == "异议:电话提出,工作人员记录"


def test_an_objection_costs_a_handful_of_statements(granting, told, django_assert_num_queries):
    """The offer locked and read, whether it was objected to, the system user, the case locked,
    saved and its event, the offer's time: the same whoever objects (two savepoints besides)."""
    offer_object(offer=_granted(granting), via="sms")  # the system user and the scoping are held after
    other = _granted(granting, resident=granting.zhou)
    with django_assert_num_queries(12):
        offer_object(offer=other, via="link")
