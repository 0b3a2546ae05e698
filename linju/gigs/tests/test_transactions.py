"""Posting, signing in and dispatching are durable transactions: they refuse to be folded into a
caller's transaction, and the slip's text leaves only once the dispatch is committed."""

import pytest
from django.db import transaction

from linju.gigs.models import Dispatch, Gig, SignIn
from linju.gigs.services.dispatching import gig_dispatch
from linju.gigs.services.signing_in import gig_sign_in
from linju.gigs.tests.conftest import post
from linju.notify.models import OutboxMessage


def test_posting_refuses_to_run_inside_a_callers_transaction(gig_market):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        post(gig_market, title="不该留下")
    assert not Gig.objects.filter(title="不该留下").exists()


def test_a_sign_in_refuses_to_run_inside_a_callers_transaction(gig_market):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        gig_sign_in(
            actor=gig_market.cadre, place="market:market-shengping", id_number=gig_market.dai.id_number
        )
    assert not SignIn.objects.exists()


def test_the_slip_is_texted_only_after_the_dispatch_commits(gig_market, django_capture_on_commit_callbacks):
    gig_sign_in(actor=gig_market.cadre, place="market:market-shengping", id_number=gig_market.dai.id_number)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        gig_dispatch(actor=gig_market.cadre, gig_id=gig_market.picking.pk, worker_id=gig_market.dai_worker.pk)
    assert not Dispatch.objects.exists()
    with django_capture_on_commit_callbacks() as callbacks:
        gig_dispatch(actor=gig_market.cadre, gig_id=gig_market.picking.pk, worker_id=gig_market.dai_worker.pk)
    assert callbacks and not OutboxMessage.objects.exists()  # nothing sent before the commit
