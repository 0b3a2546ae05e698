"""Reads of offers, always given the viewer: the approval page's groups (by town and item, with a
few names) and the API's list. Leaders are refused before anything is read (`offer.read`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber

from linju.access.capabilities import require
from linju.catalog.models import ServiceItem
from linju.geo.models import Town
from linju.people.masking import mask_name

from .models import Offer, TextReply

if TYPE_CHECKING:
    from linju.accounts.models import User

SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Named:
    resident_id: int
    bureau_id: int
    name: str  # masked


@dataclass(frozen=True)
class OfferGroup:
    """The offers of one item in one town with one status: how many, and the first few names."""

    status: str
    town_code: str
    town: str
    item_code: str
    item: str
    count: int
    sample: list[Named]


def offers_visible(*, viewer: User) -> QuerySet[Offer]:
    require(viewer, "offer.read")
    return Offer.objects.visible_to(viewer)


def offer_groups(*, viewer: User, statuses: tuple[str, ...] = (Offer.Status.AWAITING,)) -> list[OfferGroup]:
    """The viewer's offers of these statuses by town and item, largest first, each with up to five
    names (masked: 代*峰), in four queries whatever their number: the counts, the samples (a window
    over each group), the towns and the items named."""
    rows = offers_visible(viewer=viewer).filter(status__in=statuses)
    counts = list(
        rows.values("status", "village__town_id", "item_id")
        .annotate(n=Count("id"))
        .order_by("-n", "village__town_id", "item_id")
    )
    if not counts:
        return []
    ranked = rows.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("status"), F("village__town_id"), F("item_id")],
            order_by=F("id").asc(),
        )
    )
    samples: dict[tuple, list[Named]] = {}
    for status, town_id, item_id, resident_id, bureau_id, name in (
        ranked.filter(rank__lte=SAMPLE_SIZE)
        .order_by("id")
        .values_list("status", "village__town_id", "item_id", "resident_id", "bureau_id", "resident__name")
    ):
        samples.setdefault((status, town_id, item_id), []).append(
            Named(resident_id, bureau_id, mask_name(name))
        )
    towns = Town.objects.in_bulk([row["village__town_id"] for row in counts])
    items = ServiceItem.objects.only("code", "name").in_bulk([row["item_id"] for row in counts])
    return [
        OfferGroup(
            status=row["status"],
            town_code=towns[row["village__town_id"]].code,
            town=towns[row["village__town_id"]].name,
            item_code=items[row["item_id"]].code,
            item=items[row["item_id"]].name,
            count=row["n"],
            sample=samples.get((row["status"], row["village__town_id"], row["item_id"]), []),
        )
        for row in counts
    ]


def offer_list(
    *, viewer: User, status: str = "", item_code: str = "", town_code: str = ""
) -> QuerySet[Offer]:
    """The viewer's offers, newest first, narrowed by status, item and town (codes as typed; unknown
    ones find nothing)."""
    rows = offers_visible(viewer=viewer).select_related("resident", "item", "village__town", "case")
    if status:
        rows = rows.filter(status=status)
    if item_code:
        rows = rows.filter(item__code=item_code)
    if town_code:
        rows = rows.filter(village__town__code=town_code)
    return rows.order_by("-created_at", "-id")


INBOX_LENGTH = 100  # the newest unread first; reading them brings up the next


def texts_to_read(*, viewer: User) -> QuerySet[TextReply]:
    """Texts residents of the viewer's towns sent back that no one has read yet (not an answer,
    not a stop), newest first."""
    require(viewer, "outreach.work")
    return (
        TextReply.objects.visible_to(viewer)
        .filter(kind=TextReply.Kind.TO_READ, read_at__isnull=True)
        .select_related("resident", "village__town", "offer__item")
        .order_by("-created_at", "-id")
    )
