import pytest

from linju.people.phones import InvalidPhone, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("023-48621234", "023-48621234"),
        ("02348621234", "023-48621234"),
        ("(023) 4862 1234", "023-48621234"),
        ("010-62345678", "010-62345678"),
    ],
)
def test_mobiles_and_landlines_are_normalized(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["12345", "1381234567", "138123456789", "abc", "+1 202 555 0143", "4008123123"]
)
def test_bad_numbers_are_refused(raw):
    with pytest.raises(InvalidPhone) as error:
        normalize_phone(raw)
    assert error.value.field == "phone"


def test_empty_phone_is_refused_with_a_message():
    with pytest.raises(InvalidPhone):
        normalize_phone("  ")
