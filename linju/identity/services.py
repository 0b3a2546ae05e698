"""Identifying a person: asking the method's verifier (before anything is written, outside any
transaction: a device or a platform may take seconds or not answer), and keeping the event with
what it was for.

A check answers a receipt: the method, the result, the terminal, the moment and a keyed digest of
the ID number checked, signed with the site's key (Django's signing) — never the code scanned or
the card read. The intake takes the receipt (the counter's page at once; the field app and the API
in the case they send, also later, offline) and records it in its own transaction with one INSERT:
a receipt cannot be altered, moved to another person, or outlive RECEIPT_DAYS.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core import signing
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import DomainError
from linju.core.held_queries import HeldInsert
from linju.people.idnumbers import normalize
from linju.people.models import Resident

from .models import VERIFIED_METHODS, Identification, Method, Result
from .verifiers import Check, verifier_for

if TYPE_CHECKING:
    from linju.accounts.models import User

RECEIPT_SALT = "linju.identity.receipt"
RECEIPT_DAYS = 7  # as long as a field device may hold a case taken offline
MAX_REASON = 500
MAX_TERMINAL = 60


def person_digest(id_number: str) -> str:
    """A keyed digest of an ID number: a receipt names its person without carrying the number."""
    return salted_hmac("linju.identity.person", normalize(id_number)).hexdigest()[:32]


@dataclass(frozen=True)
class Verified:
    method: str
    result: str
    receipt: str  # "" for an expired card or code, or another person's: the intake does not take those
    no_card: bool = False

    @property
    def message(self):
        return RESULT_WORDS[self.result] if not self.no_card else NO_CARD


NO_CARD = _("The reader read no card: put the card on the reader and check again.")
RESULT_WORDS = {
    Result.VALID: _("Checked: the card or code is this person's and valid."),
    Result.EXPIRED: _(
        "The card or code has expired: ask for a valid card or a fresh code, or identify the person by hand "
        "and write why."
    ),
    Result.MISMATCH: _("The card or code is not this person's: check who is applying."),
    Result.UNREACHABLE: _(
        "The reader or the card platform does not answer: identify the person by hand and write why."
    ),
}


def identification_verify(
    *, viewer: User, method: str, name: str, id_number: str, terminal: str = "", qr: str = ""
) -> Verified:
    """Ask the method's verifier whether the person named is the one whose card or code is shown.
    Writes nothing; the QR code is passed on and forgotten."""
    require(viewer, "identity.verify")
    if method not in VERIFIED_METHODS:
        raise DomainError(_("Choose a card or the e-card code to check."), field="identification.method")
    terminal = " ".join(str(terminal).split())[:MAX_TERMINAL]
    if method == Method.ECARD and not qr.strip():
        raise DomainError(_("Scan the e-card's QR code."), field="identification.qr")
    check = Check(method=method, name=name, id_number=id_number, terminal=terminal, qr=qr.strip())
    answer = verifier_for(method).verify(check)
    receipt = ""
    if answer.result in (Result.VALID, Result.UNREACHABLE):
        receipt = signing.dumps(
            {
                "m": method,
                "r": str(answer.result),
                "t": terminal,
                "at": timezone.now().isoformat(),
                "p": person_digest(id_number),
            },
            salt=RECEIPT_SALT,
        )
    return Verified(method=method, result=str(answer.result), receipt=receipt, no_card=answer.no_card)


@dataclass(frozen=True)
class IdentificationIn:
    """How the person was identified, as an intake is told: a method, and for a card or code the
    receipt of its check; by hand (or with the verifier unreachable) the reason."""

    method: str
    receipt: str = ""
    terminal: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Identified:
    """An identification cleaned at the door, ready to be recorded."""

    method: str
    result: str
    terminal: str
    reason: str
    verified_at: datetime.datetime
    person: str  # the digest of the ID number checked ("" by hand)


def identification_clean(given: IdentificationIn, *, now: datetime.datetime) -> Identified:
    """The identification an intake was given, checked without a query, or the first thing wrong
    with it in plain words."""
    reason = " ".join(str(given.reason or "").split())[:MAX_REASON]
    terminal = " ".join(str(given.terminal or "").split())[:MAX_TERMINAL]
    if given.method == Method.BY_HAND:
        if not reason:
            raise DomainError(
                _("Write how the person was identified by hand, and why no card or code was checked."),
                field="identification.reason",
            )
        return Identified(Method.BY_HAND, Result.NOT_CHECKED, terminal, reason, now, "")
    if given.method not in VERIFIED_METHODS:
        raise DomainError(_("Choose how the person was identified."), field="identification.method")
    try:
        said = signing.loads(given.receipt, salt=RECEIPT_SALT, max_age=datetime.timedelta(days=RECEIPT_DAYS))
        if said["m"] != given.method:
            raise signing.BadSignature("another method")
        at = datetime.datetime.fromisoformat(said["at"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise DomainError(
            _("Check the card or code again: this check is missing, too old or not this one."),
            code="identification_unchecked",
            field="identification.method",
        ) from None
    if said["r"] == Result.UNREACHABLE and not reason:
        raise DomainError(RESULT_WORDS[Result.UNREACHABLE], field="identification.reason")
    keep = reason if said["r"] == Result.UNREACHABLE else ""
    return Identified(given.method, said["r"], said["t"] or terminal, keep, at, said["p"])


IDENTIFICATION_ROW = HeldInsert(Identification)


def identification_record_within(
    *, actor: User, resident: Resident, identified: Identified, reference: str
) -> Identification:
    """Keep the event, inside the caller's transaction (an intake's: one INSERT; the caller owns
    durability). A check made for another ID number is refused."""
    if identified.person and not constant_time_compare(identified.person, person_digest(resident.id_number)):
        raise DomainError(
            _("The card or code was checked for another person: check it again for this one."),
            code="identification_other_person",
            field="identification.method",
        )
    row = Identification(
        bureau_id=resident.bureau_id,
        resident=resident,
        method=identified.method,
        result=identified.result,
        verified_at=identified.verified_at,
        terminal=identified.terminal,
        reason=identified.reason,
        reference=reference,
        actor=actor,
    )
    IDENTIFICATION_ROW.save(row)
    return row


def identification_at_the_counter(
    *,
    viewer: User,
    method: str,
    name: str,
    id_number: str,
    terminal: str = "",
    qr: str = "",
    reason: str = "",
) -> IdentificationIn | None:
    """The pages' doors (counter, booth, home visit), in one POST: the card or code checked now, and
    the identification the intake takes, or the refusal in words on its field. No method: None."""
    if not method:
        return None
    if method == Method.BY_HAND:
        return IdentificationIn(method=method, terminal=terminal, reason=reason)
    verified = identification_verify(
        viewer=viewer, method=method, name=name, id_number=id_number, terminal=terminal, qr=qr
    )
    if verified.result in (Result.EXPIRED, Result.MISMATCH) or verified.no_card:
        raise DomainError(
            verified.message,
            code=f"identification_{verified.result}",
            field="identification.qr" if method == Method.ECARD else "identification.method",
        )
    return IdentificationIn(method=method, receipt=verified.receipt, terminal=terminal, reason=reason)
