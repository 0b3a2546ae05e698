"""The public status look-up (case number + last four digits of the phone), paused per case after
too many wrong tries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from linju.core.errors import DomainError
from linju.core.limits import try_give_back, try_take

from ..models import Case
from ..selectors import case_public_status

# The public status look-up (case number + last four digits of the phone). Case numbers are
# sequential, so the four digits are what stands between a stranger and a timeline: after
# STATUS_WRONG_TRIES wrong tries on one case, its look-up pauses for STATUS_LOCK_SECONDS, whoever
# asks and from wherever (counted in the shared cache, so across every worker). The per-address
# limit (settings.STATUS_LOOKUP_RATE) stays in front of it.
STATUS_WRONG_TRIES = 10
STATUS_LOCK_SECONDS = 3600


class LookupPaused(DomainError):
    status = 429
    code = "lookup_paused"


def _status_key(number: str) -> str:
    return f"linju:status-wrong:{number.strip()[:20]}"


def case_status_lookup(*, number: str, phone_last4: str) -> Case:
    """The case for the public status page, or NotFound (the same for a wrong number and a wrong
    phone), or LookupPaused once the case's look-up has seen too many wrong tries. Numbers carry their
    bureau (QJ-20261129-0001) and are one look-up however they are typed; older numbers (20261125-0042)
    work as they always did.

    Every try is counted before it is evaluated, and only the first STATUS_WRONG_TRIES of an hour
    are evaluated, however many arrive at once; a right answer gives its try back."""

    number = "".join(number.split()).upper()
    key = _status_key(number)
    # strict: without the count of tries the look-up is refused (503), never left unguarded
    if try_take(key, window=STATUS_LOCK_SECONDS) > STATUS_WRONG_TRIES:
        raise LookupPaused(
            _("This case has had too many wrong tries; its look-up is paused for an hour. Ask your station.")
        )
    case = case_public_status(number=number, phone_last4=phone_last4)  # NotFound: the try stays counted
    try_give_back(key)
    return case
