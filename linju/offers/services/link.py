"""The short link a text carries (/o/<token>): the resident answers their offer there.

The token is unguessable (10 characters of 55, linju/offers/models.py), but a text can be seen by
someone else; so the page asks first for the last four characters of the resident's ID number (the
last may be X), and guards them as the public status look-up guards the phone's four digits
(linju/cases/services/status.py): every try on an offer is counted in the shared cache before it is
evaluated; after LINK_WRONG_TRIES wrong ones its page pauses for LINK_LOCK_SECONDS, whoever asks;
a right answer gives its try back. A per-address limit stands in front (the view). Nothing is shown
before the four characters are right, and a link that is unknown, withdrawn, still held or past its
time says only that.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.errors import DomainError, NotFound
from linju.core.limits import try_give_back, try_take

from ..models import TOKEN_LENGTH, Offer
from .answers import offer_answer

LINK_WRONG_TRIES = 10
LINK_LOCK_SECONDS = 3600
LAST4 = re.compile(r"^[0-9]{3}[0-9X]$")
TOKEN = re.compile(rf"^[0-9A-Za-z]{{{TOKEN_LENGTH}}}$")
# an offer that was never approved, or was withdrawn or ran out, has no page
NO_PAGE = (Offer.Status.AWAITING, Offer.Status.HELD, Offer.Status.WITHDRAWN, Offer.Status.UNANSWERED)


class LinkPaused(DomainError):
    status = 429
    code = "offer_link_paused"


def offer_by_link(token: str) -> Offer | None:
    """The offer behind a short link, if its page is open: approved, not withdrawn, not ended
    unanswered, and (while it waits for an answer) not past its time."""
    if not TOKEN.match(token or ""):
        return None
    offer = (
        Offer.objects.filter(token=token)
        .exclude(status__in=NO_PAGE)
        .select_related("resident", "rule", "item", "case__item", "case__town")
        .first()
    )
    if offer is None:
        return None
    if offer.status == Offer.Status.OPEN and offer.expires_on and offer.expires_on < timezone.localdate():
        return None
    return offer


def id_last4_clean(value: str) -> str:
    """The four characters as typed (full-width, a small x, spaces), or a plain refusal."""
    last4 = unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").upper()
    if not LAST4.match(last4):
        raise DomainError(
            _("Enter the last four characters of your ID number: four digits, the last may be X."),
            field="id_last4",
        )
    return last4


def offer_link_open(*, token: str, id_last4: str) -> Offer:
    """The offer, once the last four characters of its resident's ID number are right; NotFound for
    a link without a page or wrong characters (each wrong try counted), LinkPaused after too many."""
    offer = offer_by_link(token)
    if offer is None:
        raise NotFound(_("This link does not open an offer (any more)."), code="offer_link_gone")
    last4 = id_last4_clean(id_last4)  # a malformed entry is not a try
    key = f"linju:offer-link-wrong:{offer.token}"
    # strict: without the count of tries the page is refused (503), never left unguarded
    if try_take(key, window=LINK_LOCK_SECONDS) > LINK_WRONG_TRIES:
        raise LinkPaused(
            _(
                "Too many wrong tries: this page is paused for an hour. Reply to the text, or call your "
                "station."
            )
        )
    if last4 != offer.resident.id_last4.upper():
        raise NotFound(
            _("These are not the last four characters of the ID number. Please look at your ID card."),
            code="offer_link_wrong",
            field="id_last4",
        )
    try_give_back(key)
    return offer


def offer_link_answer(*, token: str, id_last4: str, answer: str) -> Offer:
    """The resident answers on the page: the four characters again (the page keeps nothing between
    requests), then the one answer service. The offer as answered, with its case on a yes."""
    offer = offer_link_open(token=token, id_last4=id_last4)
    if answer not in Offer.Answer.values:
        raise DomainError(_("Choose one of the three answers."), field="answer")
    if offer.answer != answer:
        offer_answer(offer=offer, answer=answer, via=Offer.AnsweredVia.LINK)
    return offer_by_link(offer.token) or offer
