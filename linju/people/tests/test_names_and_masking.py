import pytest

from linju.people.masking import mask_id_number, mask_name, mask_phone
from linju.people.names import name_initials, name_pinyin


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("周开明", "zkm"),
        ("代云峰", "dyf"),
        ("曾国藩", "zgf"),
        ("单雄信", "sxx"),
        ("解缙", "xj"),
        ("仇英", "qy"),
        ("查良镛", "zly"),
        ("区家明", "ojm"),
        ("尉迟恭", "ycg"),
        ("周 开明", "zkm"),
    ],
)
def test_initials_use_surname_readings(name, initials):
    assert name_initials(name) == initials


def test_whole_pinyin_reads_surnames_as_surnames():
    assert name_pinyin("曾国藩") == "zengguofan"
    assert name_pinyin("单雄信") == "shanxiongxin"


def test_id_number_mask_keeps_region_and_last_four():
    assert mask_id_number("500222196203140017") == "500222********0017"


def test_phone_masks():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("023-48621234") == "023-****1234"
    assert mask_phone("") == ""


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("代云峰", "代*峰"),
        ("王明", "王*"),
        ("欧阳小明", "欧**明"),
        ("代 云峰", "代*峰"),
        ("王", "*"),
        ("", ""),
    ],
)
def test_a_masked_name_keeps_the_first_and_last_characters_only(name, masked):
    assert mask_name(name) == masked
