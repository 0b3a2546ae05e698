"""Texts residents send back through the gateway (POST /api/v1/outreach/sms-replies).

The endpoint is served here, above outreach, because a reply may answer an offer and outreach may
not import offers (the layers, .importlinter); outreach keeps its own part, TD ending booth texts
(`sms_reply_received`), and this calls it first. The address the gateway was given stays the same.

- TD (or 退订 …): booth texts stop (outreach), and so do offer texts to that phone (a `stop` row).
- 1, 2 or 3 (full-width １２３ too, spaces around it ignored): the answer to the offer whose text
  (first or reminder) reached that phone last — what the person is replying to; before any text
  went, the newest approved one still open — while it is open,
  through the one answer service. The same reply again, once answered, changes nothing; a
  different one is kept for a person to read, as is anything else.
- A number no resident has: nothing is kept; the gateway gets the same answer as for any other.
"""

from __future__ import annotations

import datetime
import logging
import unicodedata

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core.errors import DomainError, NotFound
from linju.outreach.services import STOP_WORDS, sms_reply_received
from linju.people.models import Resident
from linju.people.phones import InvalidPhone, normalize_phone

from ..models import Offer, TextReply
from .answers import offer_answer

logger = logging.getLogger("linju.offers")

ANSWERS = {"1": Offer.Answer.YES, "2": Offer.Answer.NO, "3": Offer.Answer.HELP}
SAME_TEXT_WITHIN = datetime.timedelta(days=1)  # a gateway sending a text again is kept once


def reply_answer(text: str) -> str:
    """The answer a reply gives (yes, no, help), or "" when it is not one of the three digits."""
    return ANSWERS.get(unicodedata.normalize("NFKC", text).strip(), "")


def is_stop(text: str) -> bool:
    return unicodedata.normalize("NFKC", text).strip().lower() in STOP_WORDS


def last_offer_texted(phone: str) -> Offer | None:
    """The offer whose text (its first, or its reminder) went to this phone last; when none was
    texted yet (approved in the night, waiting for 08:00), the newest approved offer still open."""
    mine = Offer.objects.filter(resident__phone=phone).select_related("resident")
    return (
        mine.filter(texted_at__isnull=False)
        .order_by(Coalesce("reminded_at", "texted_at").desc(), F("pk").desc())
        .first()
    ) or mine.filter(status=Offer.Status.OPEN, approved_at__isnull=False).order_by(
        "-approved_at", "-pk"
    ).first()


def text_reply_receive(*, phone: str, text: str) -> TextReply | None:
    """Handle one text sent back (see the module). The kept row, or None when nothing was kept (an
    unknown number, an answer given again). Says nothing to the caller about the number either way.

    Not one transaction: the booth texts' stop and the answer are each their own service's durable
    transaction; the row that records the reply is written after them."""
    text = text.strip()[:160]
    try:
        number = normalize_phone(phone[:20])
    except InvalidPhone:
        logger.info("A reply from a number that is not one: ignored")
        return None
    if is_stop(text):
        sms_reply_received(phone=number, text=unicodedata.normalize("NFKC", text))  # booth texts
    offer = last_offer_texted(number)
    resident = offer.resident if offer else Resident.objects.filter(phone=number).order_by("pk").first()
    if resident is None:
        logger.info("A reply from %s, not a resident's number: not kept", number[-4:])
        return None
    kind = TextReply.Kind.TO_READ
    if is_stop(text):
        if TextReply.objects.filter(phone=number, kind=TextReply.Kind.STOP).exists():
            return None
        kind = TextReply.Kind.STOP
    elif answer := reply_answer(text):
        if offer is not None and offer.answer == answer:
            return None  # the same answer again: nothing changes
        if offer is not None and offer.status in (Offer.Status.OPEN, Offer.Status.HELP):
            try:
                offer_answer(offer=offer, answer=answer, via=Offer.AnsweredVia.SMS)
            except DomainError as refusal:  # answered otherwise meanwhile: a person reads it
                logger.info("A reply to offer %s was refused (%s): kept to read", offer.pk, refusal.code)
            else:
                kind = TextReply.Kind.ANSWER
    if kind == TextReply.Kind.TO_READ and _kept_already(number, text):
        return None
    return TextReply.objects.create(
        bureau_id=resident.bureau_id,
        phone=number,
        text=text,
        kind=kind,
        resident=resident,
        village_id=resident.village_id,
        offer=offer,
    )


def _kept_already(phone: str, text: str) -> bool:
    """The same words from the same phone, still unread, came within a day (the gateway again)."""
    return TextReply.objects.filter(
        phone=phone,
        text=text,
        kind=TextReply.Kind.TO_READ,
        read_at__isnull=True,
        created_at__gte=timezone.now() - SAME_TEXT_WITHIN,
    ).exists()


def text_reply_mark_read(*, actor, reply_id: int) -> TextReply:
    """A member of staff read a reply (and did what it asked): it leaves the list of those to read.
    Marking it again changes nothing."""
    require(actor, "outreach.work")
    reply = TextReply.objects.visible_to(actor).filter(pk=reply_id).first()
    if reply is None:
        raise NotFound(_("No such text."))
    TextReply.objects.filter(pk=reply.pk, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=actor, updated_at=timezone.now()
    )
    reply.refresh_from_db()
    return reply
