"""The papers the bureau already holds for a registered resident: marked received on a case an offer
makes, so nobody is asked to bring what the registry already shows.

The registry (people.Resident) is the 公安-checked record of who someone is and, through the household,
their 户口: a registered resident's ID card and household register are held; every other paper (a
certificate of job loss, a bank account, a diagnosis) is not, and stays for the resident or staff to
add. One function, read by the answers and the page that shows what will be marked."""

from __future__ import annotations

import re

from linju.people.models import Resident

# 居民身份证 / 身份证 / 申领人身份证 / 本人身份证, original or copy
ID_CARD = re.compile(r"^(居民|申领人|本人)?身份证(原件|复印件|原件及复印件)?$")
# 户口簿 / 户口本, original or copy
HOUSEHOLD_REGISTER = re.compile(r"^(居民)?户口(簿|本)(原件|复印件|原件及复印件)?$")


def material_held(name: str, resident: Resident) -> bool:
    """Whether the bureau holds this material (by its catalogue name) for the resident: their ID card
    when the registry holds their ID number, their household register when it holds their household.
    A paper that is about something else (户籍证明 as grounds for a change, a relative's ID) is not."""
    name = "".join(name.split())
    if ID_CARD.match(name):
        return len(resident.id_number or "") == 18
    if HOUSEHOLD_REGISTER.match(name):
        return resident.household_id is not None
    return False


def materials_held(names: list[str], resident: Resident) -> list[str]:
    """The names among an item's materials the bureau holds for the resident, in the item's order."""
    return [name for name in names if material_held(name, resident)]
