"""派工 in the published order: the place and reasons kept, who was passed over and why, the
headcount and the hard rules held, several short gigs a day, the slip texted."""

import datetime

import pytest
from django.utils import timezone

from linju.core.errors import Conflict, DomainError, NotFound
from linju.gigs.models import Dispatch, Gig, PassedOver
from linju.gigs.selectors import candidates_for_gig
from linju.gigs.services.dispatching import gig_dispatch
from linju.gigs.services.pay import pay_link
from linju.gigs.services.signing_in import gig_sign_in
from linju.gigs.slips import slip_paper
from linju.gigs.tests.conftest import post
from linju.notify.models import OutboxMessage
from linju.notify.purposes import TEMPLATES


def sign(world, resident, minutes_ago):
    return gig_sign_in(
        actor=world.cadre,
        place="market:market-shengping",
        id_number=resident.id_number,
        signed_in_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def signed(gig_market):
    """李秀英 signed in first, 代云峰 some minutes later, 张小燕 last."""
    sign(gig_market, gig_market.li, 50)
    sign(gig_market, gig_market.dai, 49)
    sign(gig_market, gig_market.zhang, 10)
    return gig_market


def order(world, gig, context):
    return candidates_for_gig(viewer=world.cadre, gig_id=gig.pk, context=context)


def test_the_candidates_leave_out_who_is_not_free_at_the_hours(signed, context):
    rows = order(signed, signed.picking, context).rows
    ids = [r.worker_id for r in rows]
    assert signed.zhang_worker.pk not in ids  # free only in the afternoon
    assert set(ids) == {signed.dai_worker.pk, signed.li_worker.pk}
    assert all(len(r.reasons) == 3 for r in rows)


def test_dispatching_keeps_the_place_and_who_was_passed_over_and_why(
    signed, context, django_capture_on_commit_callbacks
):
    rows = order(signed, signed.picking, context).rows
    first, second = rows[0], rows[1]
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = gig_dispatch(
            actor=signed.cadre, gig_id=signed.picking.pk, worker_id=second.worker_id, others="absent"
        )
    assert dispatch.position == 2 and dispatch.reasons == second.reasons
    [passed] = PassedOver.objects.filter(dispatch=dispatch)
    assert (passed.worker_id, passed.position, passed.reason) == (first.worker_id, 1, "叫号时不在场")


def test_passing_someone_over_needs_a_reason(signed, context):
    rows = order(signed, signed.picking, context).rows
    with pytest.raises(DomainError) as refused:
        gig_dispatch(actor=signed.cadre, gig_id=signed.picking.pk, worker_id=rows[1].worker_id)
    assert refused.value.code == "passed_over_unexplained"
    assert not Dispatch.objects.exists()


def test_the_headcount_fills_the_gig(signed, context):
    for row in order(signed, signed.picking, context).rows:
        gig_dispatch(actor=signed.cadre, gig_id=signed.picking.pk, worker_id=row.worker_id)
    signed.picking.refresh_from_db()
    assert signed.picking.status == Gig.Status.FILLED
    with pytest.raises(Conflict):
        gig_dispatch(actor=signed.cadre, gig_id=signed.picking.pk, worker_id=signed.zhang_worker.pk)


def test_a_worker_takes_a_morning_and_an_afternoon_gig_but_not_two_at_once(signed, context):
    today = timezone.localdate()
    afternoon = post(signed, starts_on=today, start_time=datetime.time(13), end_time=datetime.time(17))
    clash = post(signed, starts_on=today, start_time=datetime.time(10), end_time=datetime.time(14))
    gig_dispatch(actor=signed.cadre, gig_id=signed.picking.pk, worker_id=signed.li_worker.pk, others="absent")
    gig_dispatch(actor=signed.cadre, gig_id=afternoon.pk, worker_id=signed.li_worker.pk, others="absent")
    with pytest.raises(Conflict) as refused:
        gig_dispatch(actor=signed.cadre, gig_id=clash.pk, worker_id=signed.li_worker.pk, others="declined")
    assert refused.value.code == "hard_rule"
    assert signed.li_worker.pk not in [r.worker_id for r in order(signed, clash, context).rows]


def test_heavy_work_goes_only_to_who_takes_it(signed, context):
    heavy = post(signed, work_type="masonry", starts_on=timezone.localdate())
    ids = [r.worker_id for r in order(signed, heavy, context).rows]
    assert ids == [signed.li_worker.pk]
    with pytest.raises(Conflict):
        gig_dispatch(actor=signed.cadre, gig_id=heavy.pk, worker_id=signed.dai_worker.pk)


def test_the_slip_is_texted_with_where_when_pay_and_whom_to_ask(signed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = gig_dispatch(
            actor=signed.cadre, gig_id=signed.picking.pk, worker_id=signed.dai_worker.pk, others="declined"
        )
    assert dispatch.slip_texted
    [text] = OutboxMessage.objects.filter(purpose="gig_slip")
    assert text.phone == signed.dai.phone
    assert text.params["ask"] == "刘社长 13800001111"
    assert "荆山村" in text.params["where"] and "08:00" in text.params["when"]


def test_the_texted_slip_carries_the_pay_link_of_the_printed_slip(signed, django_capture_on_commit_callbacks):
    """The worker texted a slip can say the work is done and what was paid at the link the printed
    slip carries (/gigs/paid/<token>): in the text and its template's variables."""
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = gig_dispatch(
            actor=signed.cadre, gig_id=signed.picking.pk, worker_id=signed.dai_worker.pk, others="declined"
        )
    [text] = OutboxMessage.objects.filter(purpose="gig_slip")
    link = pay_link(dispatch)
    assert "/gigs/paid/" in link and link == slip_paper(dispatch).context["pay_link"]
    assert text.params["link"] == link and link in text.text
    assert text.template == "gig_slip_link" and set(text.params) == set(TEMPLATES[text.template])


def test_a_worker_without_a_mobile_gets_no_text(signed, django_capture_on_commit_callbacks):
    afternoon = post(
        signed, starts_on=timezone.localdate(), start_time=datetime.time(13), end_time=datetime.time(17)
    )
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = gig_dispatch(
            actor=signed.cadre, gig_id=afternoon.pk, worker_id=signed.zhang_worker.pk, others="absent"
        )
    assert not dispatch.slip_texted
    assert not OutboxMessage.objects.filter(purpose="gig_slip").exists()


def test_a_cadre_of_another_town_cannot_dispatch(signed):
    with pytest.raises(NotFound):
        gig_dispatch(actor=signed.dongxi_cadre, gig_id=signed.picking.pk, worker_id=signed.dai_worker.pk)


def test_the_candidates_are_read_in_a_fixed_number_of_queries(signed, context, django_assert_num_queries):
    with django_assert_num_queries(8):
        found = order(signed, signed.picking, context)
    assert len(found.rows) == 2
