"""Two answers to one offer at the same moment (a reply to the text sent twice by the gateway, a
cadre at the door while the text comes in): the offer's row lock decides, one case is made."""

import threading

import pytest
from django.db import connection, connections

from linju.cases.models import Case
from linju.offers.models import Offer
from linju.offers.services.answers import OfferAnswered, offer_answer

from .factories import offered_rule, open_offer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)"
    ),
]


def run_together(functions):
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as exc:  # collected for the assertions
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_the_same_yes_four_times_at_once_makes_one_case(served):
    offer = open_offer(served.dai, offered_rule(served.ui), served.staff)
    results = run_together([lambda: offer_answer(offer=offer, answer="yes", via="sms")] * 4)
    assert all(isinstance(r, OfferAnswered) for r in results), results
    assert Case.objects.count() == 1
    assert {r.case.pk for r in results} == {Case.objects.get().pk}
    assert sum(r.changed for r in results) == 1
    assert Offer.objects.get().status == Offer.Status.CONFIRMED
