"""The papers the bureau holds for a registered resident: their ID card, and their household register
when the registry holds their household; nothing else."""

import datetime

import pytest

from linju.offers.held import material_held, materials_held
from linju.people.models import Resident

REGISTERED = Resident(id_number="500222198805011234", birth_date=datetime.date(1988, 5, 1), household_id=7)
NO_HOUSEHOLD = Resident(id_number="500222198805011234", birth_date=datetime.date(1988, 5, 1))


@pytest.mark.parametrize(
    ("name", "held"),
    [
        ("居民身份证原件", True),
        ("身份证复印件", True),
        ("申领人身份证", True),
        ("户口簿", True),
        ("户口本 复印件", True),
        ("变更依据(户籍证明等)", False),
        ("本人社保卡或银行账户", False),
        ("解除或终止劳动合同证明", False),
        ("亲属关系证明", False),
    ],
)
def test_the_id_card_and_household_register_are_held_and_nothing_else(name, held):
    assert material_held(name, REGISTERED) is held


def test_no_household_in_the_registry_means_the_register_is_not_held():
    assert materials_held(["居民身份证原件", "户口簿", "诊断证明"], NO_HOUSEHOLD) == ["居民身份证原件"]
    assert materials_held(["居民身份证原件", "户口簿", "诊断证明"], REGISTERED) == [
        "居民身份证原件",
        "户口簿",
    ]
