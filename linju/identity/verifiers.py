"""Who checks that the person in front of staff is the person named: one verifier per method, each
an adapter class named in settings (a dotted path), so an installation plugs in its own devices.

- the ID card and the physical 社保卡: the counter's card reader, through the local reader service's
  HTTP interface (`CardReaderService`): `GET <LINJU_CARD_READER_URL>/read?kind=id_card|social_card
  &terminal=<terminal>` answers the card on the reader (docs/identification.md);
- the electronic social security card (电子社保卡): the national card platform's verification call
  through the bureau's approved channel (`ECardPlatform`): `POST <LINJU_ECARD_URL>/verify` with the
  QR code's payload and the app key, answering valid, expired or not this person.

Each answers one of four results: valid, expired, not this person, or unreachable (no answer within
LINJU_IDENTITY_TIMEOUT seconds, a refused connection, an answer that is not the interface's). The
stand-ins (standin.py) answer the same way for the demo and the tests. Nothing a verifier is given
or answers is stored here: the caller keeps the result only.
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from linju.people.idnumbers import normalize
from linju.people.services import same_name

from .models import Method, Result

logger = logging.getLogger("linju.identity")


@dataclass(frozen=True)
class Check:
    """What a verifier is asked: is the person named (name, ID number) the one whose card is on the
    terminal's reader, or whose e-card shows this code?"""

    method: str
    name: str
    id_number: str
    terminal: str = ""
    qr: str = ""  # the e-card's code, as the scanner typed it: passed on, never kept


@dataclass(frozen=True)
class Answer:
    result: str  # a Result
    no_card: bool = False  # the reader answered, with no card on it (valid cards are put on and read again)


@dataclass(frozen=True)
class Card:
    """A card as the reader service reads it. `valid_until` None: valid for life (长期)."""

    kind: str
    name: str
    id_number: str
    valid_until: datetime.date | None


def card_answer(card: Card | None, check: Check, today: datetime.date) -> Answer:
    """The reader's card held against the person named: the one rule for the real reader and its stand-in."""
    if card is None:
        return Answer(Result.MISMATCH, no_card=True)
    if normalize(card.id_number) != normalize(check.id_number) or not same_name(card.name, check.name):
        return Answer(Result.MISMATCH)
    if card.valid_until is not None and card.valid_until < today:
        return Answer(Result.EXPIRED)
    return Answer(Result.VALID)


def card_from_json(data: dict) -> Card | None:
    """The reader service's answer as a card; None when it says no card is on the reader. A field
    missing or malformed is a ValueError (the service does not speak the interface)."""
    if data.get("card") is False:
        return None
    until = data.get("valid_until")
    return Card(
        kind=str(data["kind"]),
        name=str(data["name"]),
        id_number=str(data["id_number"]),
        valid_until=None if until in (None, "", "长期") else datetime.date.fromisoformat(str(until)),
    )


KIND_OF = {Method.ID_CARD_READER: "id_card", Method.SOCIAL_CARD: "social_card"}


def _timeout() -> float:
    return float(getattr(settings, "LINJU_IDENTITY_TIMEOUT", 3))


class CardReaderService:
    """The counter's ID card and 社保卡 reader, through its local reader service (HTTP, no key: the
    service listens on the terminal's own network only)."""

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url = (base_url or settings.LINJU_CARD_READER_URL).rstrip("/")

    def verify(self, check: Check) -> Answer:
        query = urllib.parse.urlencode({"kind": KIND_OF[check.method], "terminal": check.terminal})
        try:
            with urllib.request.urlopen(f"{self.base_url}/read?{query}", timeout=_timeout()) as response:
                card = card_from_json(json.loads(response.read()))
        except urllib.error.HTTPError as error:
            if error.code == 404:  # the service answers, and no card is on the reader
                return card_answer(None, check, timezone.localdate())
            logger.warning("card reader answered %s", error.code)
            return Answer(Result.UNREACHABLE)
        except (OSError, ValueError, KeyError, TypeError) as error:  # no answer, or not the interface's
            logger.warning("card reader unreachable: %s", error)
            return Answer(Result.UNREACHABLE)
        return card_answer(card, check, timezone.localdate())


ECARD_RESULTS = {"valid": Result.VALID, "expired": Result.EXPIRED, "mismatch": Result.MISMATCH}


class ECardPlatform:
    """The national social security card platform's verification of an e-card's QR code, through the
    bureau's approved channel, with the app key it was given."""

    def __init__(self, base_url: str | None = None, app_key: str | None = None) -> None:
        self.base_url = (base_url or settings.LINJU_ECARD_URL).rstrip("/")
        self.app_key = settings.LINJU_ECARD_APP_KEY if app_key is None else app_key

    def verify(self, check: Check) -> Answer:
        body = json.dumps(
            {
                "qr": check.qr,
                "id_number": normalize(check.id_number),
                "name": check.name,
                "terminal": check.terminal,
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(
            f"{self.base_url}/verify",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-App-Key": self.app_key},
        )
        try:
            with urllib.request.urlopen(request, timeout=_timeout()) as response:
                return Answer(ECARD_RESULTS[json.loads(response.read())["result"]])
        except urllib.error.HTTPError as error:
            # 401: the app key is refused; 5xx: the platform is down. Either way no answer about the person
            logger.warning("e-card platform answered %s", error.code)
            return Answer(Result.UNREACHABLE)
        except (OSError, ValueError, KeyError, TypeError) as error:
            logger.warning("e-card platform unreachable: %s", error)
            return Answer(Result.UNREACHABLE)


SETTING_OF = {
    Method.ID_CARD_READER: "LINJU_ID_CARD_VERIFIER",
    Method.SOCIAL_CARD: "LINJU_SOCIAL_CARD_VERIFIER",
    Method.ECARD: "LINJU_ECARD_VERIFIER",
}


def verifier_for(method: str):
    """The verifier of a method, as settings name it."""
    return import_string(getattr(settings, SETTING_OF[method]))()
