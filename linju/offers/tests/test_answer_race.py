"""Two answers to one offer at the same moment (a reply to the text sent twice by the gateway, a
cadre at the door while the text comes in): the offer's row lock decides, one case is made."""

import pytest
from django.db import connection

from linju.cases.models import Case
from linju.core.tests.threads import run_together
from linju.offers.models import Offer
from linju.offers.services.answers import OfferAnswered, offer_answer

from .factories import offered_rule, open_offer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)"
    ),
]


def test_the_same_yes_four_times_at_once_makes_one_case(served):
    offer = open_offer(served.dai, offered_rule(served.ui), served.staff)
    results = run_together([lambda: offer_answer(offer=offer, answer="yes", via="sms")] * 4)
    assert all(isinstance(r, OfferAnswered) for r in results), results
    assert Case.objects.count() == 1
    assert {r.case.pk for r in results} == {Case.objects.get().pk}
    assert sum(r.changed for r in results) == 1
    assert Offer.objects.get().status == Offer.Status.CONFIRMED
