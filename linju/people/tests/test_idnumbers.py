import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linju.people.idnumbers import InvalidIdNumber, build_id_number, check_digit, parse_id_number

# Real region codes: 綦江县 (until 2011), 綦江区 / old 万盛区, 渝中区, 北京东城区.
REGIONS = ["500222", "500110", "500103", "110101"]
TODAY = datetime.date(2026, 11, 25)

valid_ids = st.builds(
    build_id_number,
    st.sampled_from(REGIONS),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)


def test_known_good_number():
    parsed = parse_id_number("11010519491231002X", today=TODAY)
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.sex == "F"
    assert parsed.last4 == "002X"


def test_lowercase_x_and_spaces_are_accepted():
    assert parse_id_number(" 110105 19491231 002x ", today=TODAY).number == "11010519491231002X"


def test_old_qijiang_code_is_accepted_for_people_born_before_1997():
    # python-stdnum's cn.ric rejects this (500222 did not exist in 1962); we do not.
    number = build_id_number("500222", datetime.date(1962, 3, 14), 17)
    assert parse_id_number(number, today=TODAY).region_code == "500222"


def test_sex_comes_from_the_17th_digit():
    born = datetime.date(1990, 5, 1)
    assert parse_id_number(build_id_number("500110", born, 11), today=TODAY).sex == "M"
    assert parse_id_number(build_id_number("500110", born, 12), today=TODAY).sex == "F"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("50022219620314001", "id_length"),
        ("5002221962031400170", "id_length"),
        ("50022219620314A017", "id_format"),
        ("99999919620314001" + check_digit("99999919620314001"), "id_region"),
        ("50022219620230001" + check_digit("50022219620230001"), "id_birth_date"),
        ("50022230000101001" + check_digit("50022230000101001"), "id_birth_date"),
        ("50022218000101001" + check_digit("50022218000101001"), "id_birth_date"),
    ],
)
def test_each_kind_of_mistake_is_named(raw, code):
    with pytest.raises(InvalidIdNumber) as error:
        parse_id_number(raw, today=TODAY)
    assert error.value.code == code
    assert error.value.field == "id_number"


def test_wrong_check_digit_says_so_in_chinese():
    from django.utils import translation

    good = build_id_number("500222", datetime.date(1962, 3, 14), 17)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(InvalidIdNumber) as error:
        parse_id_number(bad, today=TODAY)
    assert error.value.code == "id_check_digit"
    with translation.override("zh-hans"):
        assert "校验码" in error.value.text()
    with translation.override("en"):
        assert "check digit" in error.value.text()


@given(valid_ids)
def test_every_generated_valid_id_passes(number):
    parsed = parse_id_number(number, today=TODAY)
    assert parsed.number == number


@given(valid_ids, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_every_single_character_change_fails(number, position, replacement):
    if number[position] == replacement:
        replacement = "X" if replacement != "X" else "0"
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(InvalidIdNumber):
        parse_id_number(changed, today=TODAY)
