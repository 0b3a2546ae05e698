"""How an approved offer is brought to the person: the one decision, read by approval (which records
it on the offer) and by whatever sends (a text, or a home task instead)."""

from __future__ import annotations

import datetime

from linju.core.periods import age_on
from linju.notify.sms import can_receive_texts
from linju.people.models import Resident

from ..models import Offer

# 75 and under with a mobile of their own get a text; older people are visited, whatever their phone
OLDEST_TEXTED = 75


def offer_reach(resident: Resident, today: datetime.date) -> str:
    """A text when the registry holds a mobile of the person's own (a landline cannot take a text) and
    they are 75 or under on the day; otherwise a cadre brings it (a home task). No query."""
    return reach_of(resident.phone, resident.birth_date, today)


def reach_of(phone: str, birth_date: datetime.date, today: datetime.date) -> str:
    """`offer_reach` from the two values it reads (approval reads them for a hundred thousand rows)."""
    if can_receive_texts(phone) and age_on(birth_date, today) <= OLDEST_TEXTED:
        return Offer.Reach.TEXT
    return Offer.Reach.HOME_TASK
