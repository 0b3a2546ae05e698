"""The API's combined answers: where a resident of a village can do an item, nearest first."""

import datetime

from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from linju.access.guards import needs, public
from linju.accounts.auth import staff_auth
from linju.catalog.models import ITEM_CHANNELS
from linju.core.errors import DomainError
from linju.core.periods import check_served_date

from .intake import intake_option, intake_options, spot_for
from .where import bundle_where_answer, where_answer

router = Router(tags=["catalog"])


class PlaceOut(Schema):
    kind: str
    code: str
    name: str
    address: str
    phone: str
    opening_hours: str
    mode: str = Field(
        description="finish (finished here) or accept_forward (taken here, sent to the district)"
    )
    says: str = Field(description="the mode in plain words, in the language asked for")
    minutes: int | None
    travel_mode: str
    next_open: datetime.datetime | None
    open_now: bool
    estimated: bool


class WhereOut(Schema):
    bundle: str | None = Field(None, description="the bundle asked for: its places are its lead item's")
    item: str
    village: str
    town: str
    date: datetime.date
    places: list[PlaceOut]


@router.get(
    "/where",
    response=WhereOut,
    summary="Where a resident of a village can do an item, or hand in a bundle (一件事), nearest first",
)
@public
def where(
    request,
    village: str = Query(..., max_length=20),
    item: str = Query("", max_length=30),
    bundle: str = Query("", max_length=30, description="a bundle's code, in place of an item"),
    date: datetime.date | None = None,
):
    if bool(item) == bool(bundle):
        raise DomainError(_("Name an item or a bundle, one of them."), field="item")
    on_date = check_served_date(date)
    if bundle:
        return bundle_where_answer(bundle_code=bundle, village_code=village, on_date=on_date)
    return where_answer(item_code=item, village_code=village, on_date=on_date)


staff = Router(tags=["cases"], auth=staff_auth)


class PlaceInsteadOut(Schema):
    name: str
    address: str
    phone: str
    minutes: int | None


class OptionOut(Schema):
    item_code: str
    item: str
    mode: str = Field(
        description="finish_here, forward (taken here, finished by the district), "
        "hall_only or not_this_channel (refused here)"
    )
    finished_by: str
    promised_date: datetime.date | None
    estimated: bool
    reason: str
    instead: list[PlaceInsteadOut]

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_finished_by(obj) -> str:
        return obj.finisher


class IntakeOptionsOut(Schema):
    place: str
    town: str
    items: list[OptionOut]


@staff.get(
    "/intake-options",
    response=IntakeOptionsOut,
    summary="Step 1 of intake: at a place, what is finished here, forwarded, or refused (with where instead)",
)
@needs("case.accept")
def intake_options_api(
    request,
    place: str = Query(..., max_length=40, description="point:<code>, market:<code> or village:<code>"),
    channel: str = Query(..., max_length=20),
    item: str = Query("", max_length=30, description="one item: a refusal names where to go instead"),
):
    if channel not in ITEM_CHANNELS:
        raise DomainError(_("Choose a channel from the list."), field="channel")
    if item:
        option = intake_option(viewer=request.user, place=place, channel=channel, item_code=item)
        spot = spot_for(viewer=request.user, place=place)
        return {"place": spot.name, "town": spot.town.name, "items": [option]}
    spot, options = intake_options(viewer=request.user, place=place, channel=channel)
    return {"place": spot.name, "town": spot.town.name, "items": options}
