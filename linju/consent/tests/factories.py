"""Authorisations as the services record them: 代云峰 of 荆山村 (`served.dai`) authorising his
daughter 代小红 for UI-002, or for all items; a village's helper on its register."""

from __future__ import annotations

import datetime

from linju.conftest_world import ServedTowns
from linju.consent.models import Authorisation, VillageHelper
from linju.consent.services import AuthorisationIn, authorisation_grant
from linju.people.idnumbers import build_id_number

DAUGHTER = build_id_number("500222", datetime.date(1995, 6, 1), 22)


def relative_id(serial: int) -> str:
    return build_id_number("500222", datetime.date(1960, 1, 1), serial)


def daughter_authorised(
    served: ServedTowns, *, principal=None, agent_id_number: str = DAUGHTER, actor=None, **given
) -> Authorisation:
    """The person (代云峰 unless `principal`) authorises his daughter, for UI-002 unless told, before
    綦江's district staff (or `actor`)."""
    fields = {
        "agent_kind": "family",
        "agent_name": "代小红",
        "agent_id_number": agent_id_number,
        "relation": "女儿",
        "agent_phone": "13700003333",
        "item_codes": ["UI-002"],
    } | given
    return authorisation_grant(
        actor=actor or served.staff,
        principal_id=(principal or served.dai).pk,
        given=AuthorisationIn(**fields),
    )


def helper_of_jingshan(served: ServedTowns) -> VillageHelper:
    return VillageHelper.objects.create(
        bureau_id=served.jingshan.town.bureau_id,
        village=served.jingshan,
        name="刘代办",
        id_number=build_id_number("500222", datetime.date(1980, 2, 2), 31),
        phone="13600001111",
    )
