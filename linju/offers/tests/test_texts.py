"""Approved offers go out: a text naming the offer and the three answers with the short link, at most
one offer text a day per phone, never between 21:00 and 08:00; a cadre's home task for those a text
cannot reach."""

import datetime
from types import SimpleNamespace

import pytest

from linju.catalog.tests.factories import ServiceItemFactory
from linju.notify.models import OutboxMessage
from linju.offers.models import Offer, TextReply
from linju.offers.services.channels import offers_bring, quiet_hours
from linju.offers.tests.factories import offered_rule, open_offer
from linju.outreach.models import HomeTask
from linju.people.tests.factories import ResidentFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))


def local(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def outreach_towns(served):
    """The world with two offered rules (two items) and the cadre of 永新镇 as approver."""
    ui_rule = offered_rule(served.ui)
    pension = ServiceItemFactory(code="PE-001", name="城乡居民养老保险参保登记", time_limit_days=5)
    pension_rule = offered_rule(pension, offer_zh="您可以参加城乡居民养老保险。", offer_en="You may join")
    return SimpleNamespace(
        **(vars(served) | {"served": served, "ui_rule": ui_rule, "pension_rule": pension_rule})
    )


def texts():
    return list(OutboxMessage.objects.filter(purpose="offer").order_by("id"))


def test_the_text_names_the_offer_the_three_answers_and_the_short_link(outreach_towns, settings):
    settings.LINJU_PUBLIC_URL = "https://linju.example.gov.cn"
    offer = open_offer(outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre)
    brought = offers_bring(now=local(7, 10))
    assert (brought.texted, brought.waiting, brought.home_tasks) == (1, 0, 0)
    (text,) = texts()
    assert text.phone == outreach_towns.dai.phone
    assert text.text.startswith("【綦江人社】您可能可以领取失业保险金。")
    assert "回复1办理，回复2不需要，回复3请村干部上门" in text.text
    assert f"https://linju.example.gov.cn/o/{offer.token} " in text.text
    assert text.template == "offer" and text.params == {
        "offer": "您可能可以领取失业保险金",
        "link": f"https://linju.example.gov.cn/o/{offer.token}",
    }
    offer.refresh_from_db()
    assert offer.texted_at == local(7, 10)


def test_at_most_one_offer_text_a_day_per_phone_the_next_waits_for_the_next_day(outreach_towns):
    first = open_offer(
        outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre, approved_at=local(7, 9)
    )
    second = open_offer(
        outreach_towns.dai, outreach_towns.pension_rule, outreach_towns.cadre, approved_at=local(7, 9, 30)
    )
    assert offers_bring(now=local(7, 10)).texted == 1
    assert offers_bring(now=local(7, 18)).texted == 0  # the same day: the phone had its text
    first.refresh_from_db(), second.refresh_from_db()
    assert first.texted_at == local(7, 10) and second.texted_at is None  # the older approval first
    assert offers_bring(now=local(8, 8)).texted == 1
    second.refresh_from_db()
    assert second.texted_at == local(8, 8)
    assert [t.reference for t in texts()] == ["offer-20261207", "offer-20261208"]
    assert offers_bring(now=local(9, 8)).texted == 0  # nothing waits: nothing is sent twice


def test_one_text_a_day_per_phone_holds_across_residents_who_share_it(outreach_towns):
    """A household's one mobile, on two residents' records: one offer text a day to it."""
    spouse = ResidentFactory(village=outreach_towns.jingshan, phone=outreach_towns.dai.phone)
    open_offer(outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre)
    open_offer(spouse, outreach_towns.ui_rule, outreach_towns.cadre)
    brought = offers_bring(now=local(7, 10))
    assert (brought.texted, brought.waiting) == (1, 1)
    assert len(texts()) == 1


@pytest.mark.parametrize(
    ("hour", "minute", "sent"),
    [(20, 59, True), (21, 0, False), (7, 59, False), (8, 0, True), (23, 30, False), (0, 0, False)],
)
def test_no_offer_text_between_21_and_8(outreach_towns, hour, minute, sent):
    offer = open_offer(outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre)
    brought = offers_bring(now=local(7, hour, minute))
    assert quiet_hours(local(7, hour, minute)) is not sent
    assert (brought.texted, brought.waiting) == ((1, 0) if sent else (0, 1))
    offer.refresh_from_db()
    assert (offer.texted_at is not None) is sent


def test_a_text_approved_at_night_goes_at_eight(outreach_towns):
    offer = open_offer(
        outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre, approved_at=local(7, 22)
    )
    assert offers_bring(now=local(7, 22), offer_ids=[offer.pk]).texted == 0
    assert offers_bring(now=local(8, 8)).texted == 1
    offer.refresh_from_db()
    assert offer.texted_at == local(8, 8)


def test_only_approved_open_offers_go_and_only_those_asked_for(outreach_towns):
    sent = open_offer(outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre)
    other = open_offer(
        ResidentFactory(village=outreach_towns.jingshan), outreach_towns.ui_rule, outreach_towns.cadre
    )
    waiting = open_offer(
        ResidentFactory(village=outreach_towns.jingshan),
        outreach_towns.ui_rule,
        None,
        status=Offer.Status.AWAITING,
        approved_at=None,
    )
    assert offers_bring(now=local(7, 10), offer_ids=[sent.pk, waiting.pk]).texted == 1
    other.refresh_from_db(), waiting.refresh_from_db()
    assert other.texted_at is None and waiting.texted_at is None


@pytest.mark.parametrize("reach", [Offer.Reach.HOME_TASK, Offer.Reach.VILLAGE_VISIT])
def test_an_offer_brought_by_a_cadre_is_a_home_task_for_the_towns_cadre(outreach_towns, reach):
    """No planned village visits exist in outreach: the next visit is a home task too."""
    offer = open_offer(outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre, reach=reach)
    brought = offers_bring(now=local(7, 22))  # quiet hours hold texts only
    assert (brought.texted, brought.home_tasks) == (0, 1)
    offer.refresh_from_db()
    task = offer.home_task
    assert (task.resident, task.item, task.assigned_to, task.status) == (
        outreach_towns.dai,
        outreach_towns.ui,
        outreach_towns.cadre,
        HomeTask.Status.OPEN,
    )
    assert task.asked_via == HomeTask.AskedVia.DISCOVERY
    assert "您可能可以领取失业保险金" in task.note
    assert task.due_date == datetime.date(2026, 12, 21)  # 10 working days after Monday 7 December
    assert offers_bring(now=local(8, 10)).home_tasks == 0  # made once
    assert HomeTask.objects.count() == 1 and not texts()


@pytest.mark.parametrize("phone", ["023-48621234", ""])
def test_a_text_that_cannot_reach_a_mobile_becomes_a_home_task(outreach_towns, phone):
    resident = ResidentFactory(village=outreach_towns.jingshan, phone=phone)
    offer = open_offer(resident, outreach_towns.ui_rule, outreach_towns.cadre)
    brought = offers_bring(now=local(7, 10))
    assert (brought.texted, brought.home_tasks) == (0, 1)
    offer.refresh_from_db()
    assert offer.reach == Offer.Reach.HOME_TASK and offer.home_task.resident == resident


def test_a_phone_that_replied_td_gets_no_offer_text_but_a_visit(outreach_towns):
    TextReply.objects.create(
        bureau=outreach_towns.dai.bureau,
        phone=outreach_towns.dai.phone,
        text="TD",
        kind=TextReply.Kind.STOP,
        resident=outreach_towns.dai,
        village=outreach_towns.jingshan,
    )
    offer = open_offer(outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre)
    assert offers_bring(now=local(7, 10)).home_tasks == 1
    offer.refresh_from_db()
    assert offer.texted_at is None and offer.reach == Offer.Reach.HOME_TASK and not texts()


@pytest.mark.parametrize("count", [3, 40])
def test_bringing_offers_costs_the_same_statements_for_three_texts_or_forty(
    outreach_towns, max_queries, count
):
    """The approval job's hot path: the texts of a part claimed in the outbox by one INSERT, their
    gateway's answers written by one UPDATE, the offers marked by one more; however many texts."""
    for _ in range(count):
        open_offer(
            ResidentFactory(village=outreach_towns.jingshan), outreach_towns.ui_rule, outreach_towns.cadre
        )
    with max_queries(12) as captured:
        assert offers_bring(now=local(7, 10)).texted == count
    claims = [q["sql"] for q in captured.captured_queries if "ON CONFLICT DO NOTHING" in q["sql"]]
    assert len(claims) == 1 and len(texts()) == count


def test_approval_hands_its_offers_to_the_job_and_a_second_call_brings_nothing_twice(
    outreach_towns, monkeypatch
):
    """`offers_approved` (called by approval after its commit) queues the job that brings them (run at
    once in the tests); at 10:00 the text goes, and the home task is made."""
    from django.utils import timezone

    from linju.offers.services.sending import offers_approved

    monkeypatch.setattr(timezone, "now", lambda: local(7, 10))
    texted = open_offer(outreach_towns.dai, outreach_towns.ui_rule, outreach_towns.cadre)
    visited = open_offer(
        ResidentFactory(village=outreach_towns.jingshan),
        outreach_towns.ui_rule,
        outreach_towns.cadre,
        reach="home_task",
    )
    offers_approved([texted.pk, visited.pk])
    offers_approved([texted.pk, visited.pk, 10**9])  # again, with one no longer there
    texted.refresh_from_db(), visited.refresh_from_db()
    assert texted.texted_at == local(7, 10) and visited.home_task is not None
    assert len(texts()) == 1 and HomeTask.objects.count() == 1
