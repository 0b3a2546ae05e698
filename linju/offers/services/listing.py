"""The API's list of offers: one page read through the viewer's scope, its names recorded as seen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from linju.audit.events import residents_listed_event
from linju.core.errors import DomainError
from linju.core.request_context import RequestContext

from ..models import Offer
from ..selectors import offer_list

if TYPE_CHECKING:
    from linju.accounts.models import User


def offers_page(
    *,
    viewer: User,
    status: str = "",
    item_code: str = "",
    town_code: str = "",
    page: int = 1,
    page_size: int = 20,
    context: RequestContext,
) -> tuple[int, list[Offer]]:
    """(how many in all, this page's offers); the people on the page are recorded as seen."""
    if status and status not in Offer.Status.values:
        raise DomainError(_("Choose a status from the list."), field="status")
    rows = offer_list(viewer=viewer, status=status, item_code=item_code, town_code=town_code)
    count = rows.count()
    offers = list(rows[(page - 1) * page_size : page * page_size])
    by_bureau: dict[int, list[int]] = {}
    for offer in offers:
        by_bureau.setdefault(offer.bureau_id, []).append(offer.resident_id)
    for bureau_id, resident_ids in by_bureau.items():
        residents_listed_event(
            actor=viewer, bureau_id=bureau_id, resident_ids=resident_ids, what="offer_list", context=context
        )
    return count, offers
