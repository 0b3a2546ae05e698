"""The API's combined answers: where a resident of a village can do an item, nearest first."""

import datetime

from ninja import Query, Router, Schema

from linju.core.periods import check_served_date

from .where import where_answer

router = Router(tags=["catalog"])


class PlaceOut(Schema):
    kind: str
    code: str
    name: str
    address: str
    phone: str
    opening_hours: str
    mode: str
    minutes: int | None
    travel_mode: str
    next_open: datetime.datetime | None
    open_now: bool
    estimated: bool


class WhereOut(Schema):
    item: str
    village: str
    town: str
    date: datetime.date
    places: list[PlaceOut]


@router.get(
    "/where", response=WhereOut, summary="Where a resident of a village can do an item, nearest first"
)
def where(
    request,
    item: str = Query(..., max_length=30),
    village: str = Query(..., max_length=20),
    date: datetime.date | None = None,
):
    return where_answer(item_code=item, village_code=village, on_date=check_served_date(date))
