"""A resident's answer to an offer, by any channel: yes makes the case at once (channel offer, held
papers marked, promised in working days, receipt texted), no keeps the reason, help asks the village's
cadre to come; the same answer twice changes nothing; withdrawn, expired and unsent offers refuse."""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from linju.accounts.models import User
from linju.cases.models import Case
from linju.cases.tests.factories import case_at_counter
from linju.catalog.tests.factories import MaterialFactory
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.notify.models import OutboxMessage
from linju.offers.models import Offer
from linju.offers.services.answers import offer_answer
from linju.outreach.models import HomeTask
from linju.people.models import Household
from linju.workdays.selectors import add_working_days

from .factories import make_offer, offered_rule, open_offer


@pytest.fixture
def outreach_towns(served):
    """永新镇's 代 has an open offer of UI-002, whose materials are an ID card, a household register
    and a certificate of job loss; 代 is registered with a household."""
    for position, (name, required) in enumerate(
        (("居民身份证原件", True), ("户口簿", False), ("解除或终止劳动合同证明", True))
    ):
        MaterialFactory(item=served.ui, name=name, required=required, position=position)
    dai = served.dai
    dai.household = Household.objects.create(bureau=dai.bureau, number="500110113225-1", village=dai.village)
    dai.save()
    rule = offered_rule(served.ui)
    return SimpleNamespace(
        **(vars(served) | {"served": served, "rule": rule, "offer": open_offer(dai, rule, served.staff)})
    )


def test_yes_by_text_makes_the_case_at_once_with_the_held_papers_and_texts_the_receipt(
    outreach_towns, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answered = offer_answer(offer=outreach_towns.offer, answer="yes", via="sms")
    case = Case.objects.get()
    assert answered.case == case and answered.changed
    assert (case.channel, case.item.code, case.applicant, case.status) == (
        "offer",
        "UI-002",
        outreach_towns.dai,
        Case.Status.ACCEPTED,
    )
    assert case.materials_received == ["居民身份证原件", "户口簿"]  # the job-loss paper is not held
    assert case.materials_missing == []
    assert case.promised_date == add_working_days(timezone.localdate(case.accepted_at), 5).date
    assert case.taken_by.username.startswith("linju-system-") and not case.taken_by.has_usable_password()
    offer = Offer.objects.get()
    assert (offer.status, offer.answer, offer.answered_via, offer.answered_by, offer.case) == (
        Offer.Status.CONFIRMED,
        "yes",
        "sms",
        None,
        case,
    )
    (receipt,) = OutboxMessage.objects.filter(purpose="accepted")
    assert receipt.phone == outreach_towns.dai.phone and case.number in receipt.text


def test_the_same_yes_twice_gives_the_one_case_and_changes_nothing(outreach_towns):
    first = offer_answer(offer=outreach_towns.offer, answer="yes", via="sms")
    again = offer_answer(offer=outreach_towns.offer, answer="yes", via="link")
    assert again == first and not again.changed
    assert Case.objects.count() == 1
    assert Offer.objects.get().answered_via == "sms"  # the first answer's way stays


def test_another_answer_after_yes_is_refused_in_plain_words(outreach_towns):
    case = offer_answer(offer=outreach_towns.offer, answer="yes", via="sms").case
    with pytest.raises(Conflict) as refused:
        offer_answer(offer=outreach_towns.offer, answer="no", via="sms")
    assert case.number in refused.value.text()
    assert Offer.objects.get().status == Offer.Status.CONFIRMED


def test_no_records_the_decline_and_its_reason_bounded(outreach_towns):
    answered = offer_answer(
        offer=outreach_towns.offer, answer="no", via="link", reason="  已在外地 领取 " + "长" * 300
    )
    offer = Offer.objects.get()
    assert offer.status == Offer.Status.DECLINED and answered.case is None
    assert offer.decline_reason.startswith("已在外地 领取 长") and len(offer.decline_reason) == 200
    assert not offer_answer(offer=outreach_towns.offer, answer="no", via="sms").changed
    assert not Case.objects.exists()


def test_help_makes_one_home_task_for_the_village_cadre(outreach_towns):
    answered = offer_answer(offer=outreach_towns.offer, answer="help", via="sms")
    task = HomeTask.objects.get()
    assert answered.home_task == task
    assert (task.resident, task.item, task.assigned_to, task.status) == (
        outreach_towns.dai,
        outreach_towns.ui,
        outreach_towns.cadre,
        HomeTask.Status.OPEN,
    )
    assert Offer.objects.get().status == Offer.Status.HELP
    assert offer_answer(offer=outreach_towns.offer, answer="help", via="sms") == answered
    assert HomeTask.objects.count() == 1


def test_after_help_the_cadre_at_the_visit_records_the_yes(outreach_towns):
    offer_answer(offer=outreach_towns.offer, answer="help", via="sms")
    answered = offer_answer(offer=outreach_towns.offer, answer="yes", via="visit", actor=outreach_towns.cadre)
    assert answered.case.taken_by == outreach_towns.cadre and answered.case.channel == "offer"
    offer = Offer.objects.get()
    assert (offer.status, offer.answered_via, offer.answered_by) == (
        Offer.Status.CONFIRMED,
        "visit",
        outreach_towns.cadre,
    )


def test_staff_name_the_way_they_heard_it_and_residents_answer_for_themselves(outreach_towns):
    with pytest.raises(DomainError) as no_staff:
        offer_answer(offer=outreach_towns.offer, answer="yes", via="phone")
    assert no_staff.value.field == "channel"
    with pytest.raises(DomainError) as staff_by_text:
        offer_answer(offer=outreach_towns.offer, answer="yes", via="sms", actor=outreach_towns.cadre)
    assert staff_by_text.value.field == "channel"
    with pytest.raises(DomainError):
        offer_answer(offer=outreach_towns.offer, answer="maybe", via="sms")
    assert not Case.objects.exists() and Offer.objects.get().status == Offer.Status.OPEN


def test_staff_answer_only_for_residents_of_their_towns_and_leaders_not_at_all(outreach_towns):
    with pytest.raises(NotFound):
        offer_answer(offer=outreach_towns.offer, answer="no", via="booth", actor=outreach_towns.dongxi_cadre)
    with pytest.raises(NotFound):
        offer_answer(offer=outreach_towns.offer, answer="no", via="booth", actor=outreach_towns.ws_staff)
    with pytest.raises(PermissionDenied):
        offer_answer(offer=outreach_towns.offer, answer="no", via="booth", actor=outreach_towns.leader)
    assert Offer.objects.get().status == Offer.Status.OPEN


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (Offer.Status.WITHDRAWN, "offer_withdrawn"),
        (Offer.Status.AWAITING, "offer_not_sent"),
        (Offer.Status.HELD, "offer_not_sent"),
    ],
)
def test_withdrawn_and_unsent_offers_take_no_answer(outreach_towns, status, code):
    Offer.objects.filter(pk=outreach_towns.offer.pk).update(status=status)
    with pytest.raises(Conflict) as refused:
        offer_answer(offer=outreach_towns.offer, answer="yes", via="sms")
    assert refused.value.code == code and refused.value.text()
    assert not Case.objects.exists()


def test_an_expired_offer_takes_no_answer_by_text_but_a_visit_records_one(outreach_towns):
    Offer.objects.filter(pk=outreach_towns.offer.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(Conflict) as refused:
        offer_answer(offer=outreach_towns.offer, answer="yes", via="link")
    assert refused.value.code == "offer_expired"
    assert offer_answer(
        offer=outreach_towns.offer, answer="no", via="visit", actor=outreach_towns.cadre
    ).changed


def test_a_yes_from_someone_who_applied_meanwhile_is_their_open_case(outreach_towns):
    case = case_at_counter(outreach_towns.served)
    answered = offer_answer(offer=outreach_towns.offer, answer="yes", via="sms")
    assert answered.case == case and Case.objects.count() == 1


def test_the_bureau_system_user_is_made_once_and_cannot_sign_in(outreach_towns):
    offer_answer(offer=outreach_towns.offer, answer="yes", via="sms")
    other = make_offer(
        outreach_towns.zhou, outreach_towns.rule, status=Offer.Status.OPEN, approved_at=timezone.now()
    )
    offer_answer(offer=other, answer="help", via="sms")
    (system,) = User.objects.filter(username__startswith="linju-system-")
    assert system.bureau == outreach_towns.dai.bureau and not system.towns.exists()
    assert not system.has_usable_password() and not system.api_tokens.exists()


def test_a_yes_costs_a_pinned_number_of_statements(outreach_towns, max_queries):
    """The offer locked and read, the bureau's system user, the item's materials, the intake's own statements
    (the towns served, the resident, the open case looked for, the day's number, the case, its
    events, its receipt's paper job…), the held tables' first read in this test (catalogue,
    delegations, calendar, places, towns, villages), the province's 受理 message and the offer's update:
    21 (on SQLite; on PostgreSQL the day's number, the case, its events and the message are one
    statement: 18), whoever answers."""
    offer_answer(
        offer=open_offer(outreach_towns.zhou, outreach_towns.rule, outreach_towns.staff),
        answer="no",
        via="sms",
    )  # warm
    with max_queries(18 if connection.vendor == "postgresql" else 21):
        offer_answer(offer=outreach_towns.offer, answer="yes", via="sms")
    with max_queries(2):  # the same yes again: the lock and the read
        offer_answer(offer=outreach_towns.offer, answer="yes", via="sms")
