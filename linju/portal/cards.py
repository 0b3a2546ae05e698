"""The convenience service card (便民服务卡) of a town: one context for the page and the PDF."""

from __future__ import annotations

import segno
from django.utils import timezone

from linju.catalog.selectors import delegated_items
from linju.geo.models import Town
from linju.geo.selectors import bureau_halls
from linju.outreach.selectors import market_days_of_town


def card_context(*, town: Town, page_url: str) -> dict:
    delegations = list(delegated_items(town=town))
    return {
        "town": town,
        "station": town.stations[0] if town.stations else None,
        "hall": bureau_halls().filter(bureau_id=town.bureau_id).first(),
        "finished_here": [d.item for d in delegations if d.mode == "finish"],
        "accepted_here": [d.item for d in delegations if d.mode == "accept_forward"],
        "page_url": page_url,
        "qr_svg": segno.make(page_url, error="m").svg_inline(scale=3, dark="#1f2933"),
        "printed_on": timezone.localdate(),
        "markets": market_days_of_town(town=town),
        "villages": list(town.villages.order_by("code")),
    }
