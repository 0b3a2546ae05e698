"""A gig done and its pay: recorded once by the cadre or the worker; short or no pay opens a
劳动保障监察投诉 carrying the gig's record."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from linju.accounts.services import bureau_system_user
from linju.cases.models import Case
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.gigs.models import Dispatch
from linju.gigs.services.pay import (
    LINK_WRONG_TRIES,
    LinkPaused,
    dispatch_link_open,
    pay_link,
    pay_token,
    promised_total,
    record_done,
    record_done_by_worker,
)
from linju.gigs.tests.factories_pay import GigFactory, gig_day_fixture  # noqa: F401  (the fixture gig_day)

DAY = datetime.date(2026, 12, 1)


def test_paid_in_full_is_done_with_the_promised_amount_and_opens_nothing(gig_day):
    done = record_done(gig_day.cadre, gig_day.dispatch, Dispatch.Paid.FULL, today=DAY)
    dispatch = Dispatch.objects.get(pk=gig_day.dispatch.pk)
    assert (dispatch.status, dispatch.paid, dispatch.paid_amount, dispatch.done_on) == (
        "done",
        "full",
        Decimal("160.00"),
        DAY,
    )
    assert done.case is None and dispatch.inspection_case is None and not Case.objects.exists()


def test_short_pay_recorded_by_the_cadre_opens_an_inspection_case_carrying_the_gig(gig_day):
    done = record_done(gig_day.cadre, gig_day.dispatch, "short", "80", today=DAY)
    case = Case.objects.get()
    assert done.case == case and Dispatch.objects.get(pk=gig_day.dispatch.pk).inspection_case == case
    assert case.item.code == "LR-001" and case.applicant == gig_day.dai
    assert (
        case.channel == "booth" and case.taken_at_market == gig_day.market and case.taken_by == gig_day.cadre
    )
    for words in ("荆山果园合作社", "刘主任", "荆山村", "2026-12-01", "160", "80.00", "采摘柑橘", "升平片场"):
        assert words in case.description, words


def test_the_same_answer_again_changes_nothing_and_gives_the_same_case(gig_day):
    first = record_done(gig_day.cadre, gig_day.dispatch, "short", "80", today=DAY)
    again = record_done(gig_day.cadre, gig_day.dispatch, "short", Decimal("80.00"), today=DAY)
    assert not again.changed and again.case == first.case and Case.objects.count() == 1


def test_another_answer_after_one_is_refused(gig_day):
    record_done(gig_day.cadre, gig_day.dispatch, "full", today=DAY)
    with pytest.raises(Conflict):
        record_done(gig_day.cadre, gig_day.dispatch, "unpaid", today=DAY)
    assert Dispatch.objects.get(pk=gig_day.dispatch.pk).paid == "full" and not Case.objects.exists()


@pytest.mark.parametrize(
    ("paid", "amount", "field"),
    [
        ("some", None, "paid"),
        ("short", None, "amount"),
        ("short", "160", "amount"),  # not less than promised: in full
        ("short", "-5", "amount"),
        ("short", "abc", "amount"),
        ("full", "100", "amount"),  # less than promised: short
        ("unpaid", "20", "amount"),
        ("short", "1e30", "amount"),
    ],
)
def test_an_answer_that_does_not_add_up_is_refused_in_words_and_nothing_kept(gig_day, paid, amount, field):
    with pytest.raises(DomainError) as refused:
        record_done(gig_day.cadre, gig_day.dispatch, paid, amount, today=DAY)
    assert refused.value.field == field and refused.value.status == 400
    dispatch = Dispatch.objects.get(pk=gig_day.dispatch.pk)
    assert dispatch.status == "sent" and dispatch.paid == "" and not Case.objects.exists()


def test_a_gig_not_yet_begun_cannot_be_recorded_done(gig_day):
    with pytest.raises(DomainError):
        record_done(gig_day.cadre, gig_day.dispatch, "full", today=DAY - datetime.timedelta(days=1))


def test_only_staff_of_the_gigs_town_record_it(gig_day):
    with pytest.raises(NotFound):
        record_done(gig_day.dongxi_cadre, gig_day.dispatch, "full", today=DAY)
    with pytest.raises(PermissionDenied):
        record_done(gig_day.leader, gig_day.dispatch, "full", today=DAY)
    with pytest.raises(NotFound):
        record_done(gig_day.ws_staff, gig_day.dispatch, "full", today=DAY)
    assert Dispatch.objects.get(pk=gig_day.dispatch.pk).status == "sent"


def test_a_hourly_gig_promises_its_hours_times_its_days():
    gig = GigFactory.build(
        pay=Decimal("20"),
        pay_unit="hour",
        starts_on=DAY,
        ends_on=DAY + datetime.timedelta(days=2),
        start_time=datetime.time(8, 0),
        end_time=datetime.time(12, 30),
    )
    assert promised_total(gig) == Decimal("270.00")  # 20 × 4.5 hours × 3 days
    assert promised_total(GigFactory.build(pay=Decimal("3"), pay_unit="piece")) is None


def test_the_worker_says_unpaid_on_the_slips_page_and_the_system_takes_the_case_online(gig_day):
    token = pay_token(gig_day.dispatch)
    assert pay_link(gig_day.dispatch).endswith(f"/gigs/paid/{token}")
    done = record_done_by_worker(token=token, typed_last4=gig_day.dai.id_number[-4:], paid="unpaid")
    case = done.case
    assert case.channel == "online" and case.taken_by == bureau_system_user(bureau_id=gig_day.gig.bureau_id)
    with translation.override("zh-hans"):
        by_worker = str(_("Recorded by the worker on the slip's page"))
    assert case.applicant == gig_day.dai and "0.00" in case.description and by_worker in case.description
    assert Dispatch.objects.get(pk=gig_day.dispatch.pk).paid_amount == Decimal("0.00")


def test_the_slips_page_opens_only_with_the_right_four_characters_and_pauses_after_ten_wrong(gig_day):
    cache.clear()
    token = pay_token(gig_day.dispatch)
    wrong = "0000" if gig_day.dai.id_number[-4:] != "0000" else "1111"
    for _try in range(LINK_WRONG_TRIES):
        with pytest.raises(NotFound):
            dispatch_link_open(token=token, typed_last4=wrong)
    with pytest.raises(LinkPaused):
        dispatch_link_open(token=token, typed_last4=gig_day.dai.id_number[-4:])


def test_a_forged_or_changed_token_opens_nothing(gig_day):
    token = pay_token(gig_day.dispatch)
    forged = f"{gig_day.dispatch.pk + 1}:{token.split(':', 1)[1]}"
    for bad in (forged, "not-a-token", token[:-1] + ("A" if token[-1] != "A" else "B")):
        with pytest.raises(NotFound):
            dispatch_link_open(token=bad, typed_last4=gig_day.dai.id_number[-4:])
