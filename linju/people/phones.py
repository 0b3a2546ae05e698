"""Phone numbers of residents: a mainland mobile or a landline with its area code."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _
from phonenumbers import PhoneNumberType

from linju.core.errors import DomainError

ACCEPTED_TYPES = {
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


class InvalidPhone(DomainError):
    code = "invalid_phone"


def normalize_phone(raw: str) -> str:
    """Return the national form: 13812345678 for a mobile, 023-48621234 for a landline.

    A landline needs its area code (綦江 is 023), since a bare 8-digit number is ambiguous.
    """
    text = str(raw).strip()
    if not text:
        raise InvalidPhone(_("Enter a phone number."), field="phone")
    try:
        parsed = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidPhone(
            _("“%(phone)s” is not a phone number."), params={"phone": text[:30]}, field="phone"
        ) from None
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise InvalidPhone(
            _(
                "“%(phone)s” is not a valid mainland number: a mobile has 11 digits (138…), "
                "a landline starts with its area code (023-…)."
            ),
            params={"phone": text[:30]},
            field="phone",
        )
    if phonenumbers.number_type(parsed) not in ACCEPTED_TYPES:
        raise InvalidPhone(_("Only a mobile or a landline number can be recorded."), field="phone")
    national = str(parsed.national_number)
    if phonenumbers.number_type(parsed) == PhoneNumberType.MOBILE:
        return national
    area_length = phonenumbers.length_of_geographical_area_code(parsed)
    return f"0{national[:area_length]}-{national[area_length:]}"


def phone_ends_with(digits: str, *phones: str) -> bool:
    """Whether one of the phones (empty ones never) ends with `digits`: compared in Python, the
    phones being encrypted at rest."""
    return bool(digits) and any(phone and phone.endswith(digits) for phone in phones)
