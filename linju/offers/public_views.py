"""The page a text's short link opens (/o/<token>): public, no log-in, no script, phone-sized, in
elder mode as every page is. See linju/offers/services/link.py for how it is guarded."""

from __future__ import annotations

import logging

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from linju.access.guards import public
from linju.cases.promises import case_promise
from linju.core.errors import DomainError
from linju.core.limits import rate_limited

from .models import Offer
from .services.granting import granted_page, offer_object
from .services.link import id_last4_clean, offer_by_link, offer_link_answer, offer_link_open

logger = logging.getLogger("linju.offers")
TEMPLATE = "offers/link.html"
BUSY = _("Too many look-ups from here. Please wait a minute and try again.")


def _too_many(request) -> bool:
    # fails closed, as the status look-up: the four characters stand between a stranger and the page
    return rate_limited(
        request, group="offer-link", key="ip", rate=settings.STATUS_LOOKUP_RATE, fail_open=False
    )


def _gone(request):
    """A link without a page: unknown, withdrawn, held, past its time. Nothing about anyone."""
    return render(request, TEMPLATE, {"gone": True}, status=404)


# the three answers, as the buttons say them (the text says 1, 2, 3 in this order)
CHOICES = (
    (Offer.Answer.YES, _("Yes, I want it"), ""),
    (Offer.Answer.NO, _("No, I do not need it"), "secondary"),
    (Offer.Answer.HELP, _("Please send someone to help me"), "secondary"),
)


def _answered(offer: Offer) -> dict:
    """The offer in the reader's language and its answers; once answered, what the bureau will do,
    as recorded: the case and its promised date, or the visit's day."""
    words = offer.rule.offer_en if get_language() == "en" else offer.rule.offer_zh
    context = {
        "offer": offer,
        "words": words or offer.item.name,
        "answered": bool(offer.answer),
        "choices": CHOICES,
    }
    if offer.case_id:
        context["promise"] = case_promise(offer.case)
    if offer.status == Offer.Status.GRANTED:
        context |= granted_page(offer)
    return context


@public
@require_http_methods(["GET", "POST"])
def offer_link(request, token: str):
    """The last four characters of the ID number first; then the offer and its three answers (or the
    answer already given)."""
    if offer_by_link(token[:20]) is None:
        return _gone(request)
    context = {"token": token}
    if request.method == "GET":
        return render(request, TEMPLATE, context)
    if _too_many(request):
        return render(request, TEMPLATE, context | {"error": BUSY}, status=429)
    typed = request.POST.get("id_last4", "")[:20]
    try:
        offer = offer_link_open(token=token, id_last4=typed)
    except DomainError as error:
        return render(request, TEMPLATE, context | {"error": error.text()}, status=error.status)
    logger.info("Offer %s opened on its page", offer.pk)
    return render(request, TEMPLATE, context | {"id_last4": id_last4_clean(typed)} | _answered(offer))


@public
@require_POST
def offer_link_answered(request, token: str):
    """One of the three buttons: the answer, recorded once (a second press shows the same)."""
    if offer_by_link(token[:20]) is None:
        return _gone(request)
    context = {"token": token}
    if _too_many(request):
        return render(request, TEMPLATE, context | {"error": BUSY}, status=429)
    typed = request.POST.get("id_last4", "")[:20]
    try:
        offer = offer_link_answer(token=token, id_last4=typed, answer=request.POST.get("answer", "")[:10])
    except DomainError as error:
        return render(request, TEMPLATE, context | {"error": error.text()}, status=error.status)
    logger.info("Offer %s answered %s on its page", offer.pk, offer.answer)
    return render(
        request, TEMPLATE, context | {"id_last4": id_last4_clean(typed), "just": True} | _answered(offer)
    )


@public
@require_POST
def offer_link_objected(request, token: str):
    """我有异议: the resident of something granted on the data objects, after the four characters
    again; within the time to object the case is looked at again, after it the page says so."""
    if offer_by_link(token[:20]) is None:
        return _gone(request)
    context = {"token": token}
    if _too_many(request):
        return render(request, TEMPLATE, context | {"error": BUSY}, status=429)
    typed = request.POST.get("id_last4", "")[:20]
    try:
        offer = offer_link_open(token=token, id_last4=typed)
        context["id_last4"] = id_last4_clean(typed)
        offer_object(offer=offer, via=Offer.AnsweredVia.LINK)
    except DomainError as error:
        more = _answered(offer) if "id_last4" in context else {}
        return render(request, TEMPLATE, context | more | {"error": error.text()}, status=error.status)
    logger.info("Offer %s objected to on its page", offer.pk)
    offer = offer_by_link(offer.token) or offer
    return render(request, TEMPLATE, context | {"just": True} | _answered(offer))
