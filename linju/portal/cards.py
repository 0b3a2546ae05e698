"""The convenience service card (便民服务卡) of a town: one context for the page and the PDF."""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linju.catalog.acceptance import PlaceKind, bundles_taken, offer
from linju.core.errors import NotFound
from linju.core.pdf import Paper, paper_queue, public_url, register_paper
from linju.geo.models import Town
from linju.geo.selectors import bureau_halls, town_get
from linju.outreach.selectors import market_days_of_town


def card_context(*, town: Town) -> dict:
    """What the card says the town's station and booths do with each item is the rule intake
    applies (`linju.catalog.acceptance`): every item not kept for the hall is handed in there,
    finished there or sent to the district the same day."""
    page_url = public_url(reverse("town", args=[town.code]))
    today = timezone.localdate()
    station = offer(kind=PlaceKind.STATION, town=town, on_date=today)
    booths = offer(kind=PlaceKind.BOOTH, town=town, on_date=today)
    return {
        "town": town,
        "station": town.stations[0] if town.stations else None,
        "hall": bureau_halls().filter(bureau_id=town.bureau_id).first(),
        "finished_here": station.finish,
        "accepted_here": station.forward,
        "hall_only": station.refused,
        # the booths take what the station takes (the rule makes them alike); said once, or apart
        "booths_take_the_same": booths.verdicts == station.verdicts,
        "booths_accept": booths.accepted,
        # 一件事: the bundles handed in at the station, each in one application
        "bundles": bundles_taken(kind=PlaceKind.STATION, town=town, on_date=today),
        "page_url": page_url,
        "qr_svg": segno.make(page_url, error="m").svg_inline(scale=3, dark="#1f2933"),
        "printed_on": timezone.localdate(),
        "markets": market_days_of_town(town=town),
        "villages": list(town.villages.order_by("code")),
    }


CARD = "town-card"


def card_paper(town: Town) -> Paper:
    """The card as a paper: its PDF is built by a huey job (linju.core.pdf), queued ahead every
    night for every town (`cards_ahead`) since the card carries the day and the next market days."""
    return Paper(
        template="catalog/card_pdf.html",
        context=card_context(town=town),
        folder=f"towns/{town.code}",
        filename=f"card-{town.code}.pdf",
        title=f"{town.name} {_('convenience service card')}",
    )


def _build(code: str) -> Paper | None:
    try:
        return card_paper(town_get(code=code))
    except NotFound:
        return None


def cards_ahead() -> int:
    """Queue every town's card for today (a job skips a card already stored); the number queued."""
    codes = list(Town.objects.order_by("code").values_list("code", flat=True))
    for code in codes:
        paper_queue(CARD, code, language=settings.LANGUAGE_CODE)
    return len(codes)


def register_cards() -> None:
    register_paper(CARD, _build)
