"""Offers nobody answers: 10 working days after the text one reminder, 10 working days after that
the offer ends unanswered with a visit for the town's cadre; an expired offer ends the same way. Working
days come from the calendar: the Mid-Autumn and National Day holidays of 2026 (1–7 October off,
Saturday 10 October worked) stretch the wait."""

import datetime

import pytest

from linju.notify.models import OutboxMessage
from linju.offers.models import Offer, TextReply
from linju.offers.services.no_answer import offers_follow_up
from linju.offers.tests.factories import offered_rule, open_offer
from linju.outreach.models import HomeTask
from linju.people.tests.factories import ResidentFactory

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at8(month: int, day: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, 8, 0, tzinfo=TZ)


@pytest.fixture
def rule(served):
    return offered_rule(served.ui)


def texted(served, rule, resident=None, **fields) -> Offer:
    """An offer approved and texted on Monday 28 September 2026 at 10:00, open with no end."""
    moment = datetime.datetime(2026, 9, 28, 10, 0, tzinfo=TZ)
    return open_offer(
        resident or served.dai,
        rule,
        served.cadre,
        **{"approved_at": moment, "texted_at": moment, "expires_on": None} | fields,
    )


def test_the_reminder_comes_on_the_tenth_working_day_across_the_national_day_holidays(served, rule):
    """28 Sep → 29, 30 Sep, 8, 9, 10 (a Saturday worked), 12–16 Oct: the tenth is Friday 16 October."""
    offer = texted(served, rule)
    assert offers_follow_up(now=at8(10, 15)).reminded == 0
    followed = offers_follow_up(now=at8(10, 16))
    assert (followed.reminded, followed.unanswered) == (1, 0)
    offer.refresh_from_db()
    assert offer.reminded_at == at8(10, 16) and offer.status == Offer.Status.OPEN
    (reminder,) = OutboxMessage.objects.filter(purpose="offer")
    assert reminder.template == "offer_reminder" and reminder.reference == "offer-20261016"
    assert reminder.text.startswith("【綦江人社】提醒:您可能可以领取失业保险金,10月30日前有效。")
    assert f"/o/{offer.token} " in reminder.text
    assert offers_follow_up(now=at8(10, 19)).reminded == 0  # one reminder only


def test_ten_working_days_after_the_reminder_the_offer_ends_unanswered_with_a_visit(served, rule):
    offer = texted(served, rule)
    offers_follow_up(now=at8(10, 16))
    assert offers_follow_up(now=at8(10, 29)).unanswered == 0  # the ninth working day
    followed = offers_follow_up(now=at8(10, 30))
    assert (followed.unanswered, followed.visits) == (1, 1)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.UNANSWERED
    task = offer.home_task
    assert (task.resident, task.item, task.assigned_to, task.status) == (
        served.dai,
        served.ui,
        served.cadre,
        HomeTask.Status.OPEN,
    )
    assert "未获答复" in task.note
    again = offers_follow_up(now=at8(11, 2))
    assert (again.reminded, again.unanswered, again.visits) == (0, 0, 0)
    assert HomeTask.objects.count() == 1


def test_an_answered_offer_is_neither_reminded_nor_ended(served, rule):
    offer = texted(served, rule)
    Offer.objects.filter(pk=offer.pk).update(
        status=Offer.Status.DECLINED, answer="no", answered_via="sms", answered_at=at8(10, 1)
    )
    assert offers_follow_up(now=at8(11, 30)) == offers_follow_up(now=at8(12, 1))
    assert offers_follow_up(now=at8(11, 30)).unanswered == 0
    assert not OutboxMessage.objects.exists() and not HomeTask.objects.exists()


def test_without_a_phone_to_remind_the_offer_ends_after_twenty_working_days(served, rule):
    """A phone that replied TD gets no reminder: the visit comes 20 working days after the text."""
    offer = texted(served, rule)
    TextReply.objects.create(
        bureau=served.dai.bureau,
        phone=served.dai.phone,
        text="TD",
        kind=TextReply.Kind.STOP,
        resident=served.dai,
        village=served.jingshan,
    )
    assert offers_follow_up(now=at8(10, 16)).reminded == 0
    assert offers_follow_up(now=at8(10, 29)).unanswered == 0
    assert offers_follow_up(now=at8(10, 30)).unanswered == 1
    offer.refresh_from_db()
    assert offer.reminded_at is None and offer.status == Offer.Status.UNANSWERED
    assert not OutboxMessage.objects.exists()


def test_an_offer_brought_home_is_counted_from_its_approval_and_keeps_its_open_visit(served, rule):
    """Over 75, no text: no answer 20 working days after approval ends it; the open home task the
    offer was brought by is the visit (no second one)."""
    from linju.offers.services.channels import offers_bring

    elder = ResidentFactory(village=served.jingshan, phone="")
    offer = open_offer(
        elder,
        rule,
        served.cadre,
        reach=Offer.Reach.HOME_TASK,
        approved_at=datetime.datetime(2026, 9, 28, 10, 0, tzinfo=TZ),
        expires_on=None,
    )
    offers_bring(now=at8(9, 28))
    offer.refresh_from_db()
    visit = offer.home_task
    assert offers_follow_up(now=at8(10, 16)).reminded == 0  # no phone to remind
    followed = offers_follow_up(now=at8(10, 30))
    assert (followed.unanswered, followed.visits) == (1, 0)
    offer.refresh_from_db()
    assert offer.home_task == visit and HomeTask.objects.count() == 1


def test_an_expired_offer_ends_unanswered(served, rule):
    offer = texted(served, rule, expires_on=datetime.date(2026, 10, 9))
    assert offers_follow_up(now=at8(10, 9)).unanswered == 0  # its last day
    followed = offers_follow_up(now=at8(10, 10))
    assert (followed.unanswered, followed.reminded) == (1, 0)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.UNANSWERED and offer.home_task is not None


def test_a_reminder_waits_when_its_phone_had_an_offer_text_that_day(served, rule):
    from linju.offers.services.channels import offers_bring

    offer = texted(served, rule)
    second_rule = offered_rule(served.md, offer_zh="您可以申请医疗救助")
    open_offer(served.dai, second_rule, served.cadre, approved_at=at8(10, 15), expires_on=None)
    assert offers_bring(now=at8(10, 16)).texted == 1  # the new offer's text, first
    assert offers_follow_up(now=at8(10, 16)).reminded == 0
    assert offers_follow_up(now=at8(10, 19)).reminded == 1
    offer.refresh_from_db()
    assert offer.reminded_at == at8(10, 19)
