"""Resident ID numbers (居民身份证号码, GB 11643-1999).

18 characters: a 6-digit region code, an 8-digit birth date, a 3-digit sequence
(odd for men, even for women) and an ISO 7064 MOD 11-2 check character.

The region code must be one that has existed, but not necessarily in the birth
year: 綦江 residents born before 1997 still carry 500222, which python-stdnum's
`cn.ric.validate` wrongly rejects. We use stdnum for the check digit and its
region table, and our own rule for the year.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import numdb
from stdnum.iso7064 import mod_11_2

from linju.core.errors import DomainError

ID_LENGTH = 18
EARLIEST_BIRTH_YEAR = 1900


class InvalidIdNumber(DomainError):
    code = "invalid_id_number"


@dataclass(frozen=True)
class IdNumber:
    number: str
    region_code: str
    birth_date: datetime.date
    sex: str  # "M" or "F"

    @property
    def last4(self) -> str:
        return self.number[-4:]


def normalize(raw: str) -> str:
    return "".join(str(raw).split()).upper()


@functools.lru_cache(maxsize=4096)  # stdnum's table is data shipped with it: an answer never changes
def _region_exists(code: str) -> bool:
    found = dict(part for part in numdb.get("cn/loc").info(code))
    # The table splits a code into province (2 digits) and county (4 digits); a county entry proves it.
    return any(len(key) == 4 and "county" in props for key, props in found.items())


def check_digit(first17: str) -> str:
    return mod_11_2.calc_check_digit(first17)


def parse_id_number(raw: str, *, today: datetime.date | None = None) -> IdNumber:
    """Validate and parse an ID number, or raise InvalidIdNumber saying what is wrong."""
    number = normalize(raw)
    field = "id_number"
    if len(number) != ID_LENGTH:
        raise InvalidIdNumber(
            _("An ID number has 18 characters; this one has %(count)d."),
            params={"count": len(number)},
            code="id_length",
            field=field,
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(
            _("An ID number is 17 digits followed by a digit or the letter X."),
            code="id_format",
            field=field,
        )
    if not _region_exists(number[:6]):
        raise InvalidIdNumber(
            _("The first six digits (%(code)s) are not a known region code."),
            params={"code": number[:6]},
            code="id_region",
            field=field,
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(
            _("Digits 7 to 14 (%(digits)s) are not a real birth date."),
            params={"digits": number[6:14]},
            code="id_birth_date",
            field=field,
        ) from None
    today = today or timezone.localdate()
    if birth > today or birth.year < EARLIEST_BIRTH_YEAR:
        raise InvalidIdNumber(
            _("The birth date in the ID number (%(date)s) is not possible."),
            params={"date": birth.isoformat()},
            code="id_birth_date",
            field=field,
        )
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber(
            _(
                "The last character (check digit) does not match the others: one character is probably mistyped."
            ),
            code="id_check_digit",
            field=field,
        )
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumber(number=number, region_code=number[:6], birth_date=birth, sex=sex)


def build_id_number(region_code: str, birth_date: datetime.date, sequence: int) -> str:
    """Assemble a valid ID number (for synthetic demo residents and tests)."""
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)
