"""How an approved offer reaches the person: a text to a mobile of their own at 75 and under, a home
visit otherwise (no phone, a landline, or older than 75)."""

import datetime

import pytest

from linju.offers.models import Offer
from linju.offers.services.reach import offer_reach
from linju.people.models import Resident

TODAY = datetime.date(2026, 12, 7)


@pytest.mark.parametrize(
    ("phone", "born", "reach"),
    [
        ("13912345678", datetime.date(1988, 5, 1), Offer.Reach.TEXT),
        ("13912345678", datetime.date(1950, 12, 8), Offer.Reach.TEXT),  # 75, 76 tomorrow
        ("13912345678", datetime.date(1950, 12, 7), Offer.Reach.HOME_TASK),  # 76 today
        ("023-48621234", datetime.date(1988, 5, 1), Offer.Reach.HOME_TASK),  # a landline takes no text
        ("", datetime.date(1988, 5, 1), Offer.Reach.HOME_TASK),
    ],
)
def test_a_text_to_a_mobile_of_their_own_at_75_and_under_otherwise_a_visit(phone, born, reach):
    assert offer_reach(Resident(phone=phone, birth_date=born), TODAY) == reach
