import datetime

from ninja import Query, Router, Schema

from linju.core.periods import check_served_date

from . import selectors

router = Router(tags=["catalog"])


class MaterialOut(Schema):
    name: str
    required: bool
    note: str


class ItemOut(Schema):
    code: str
    name: str
    category: str
    category_code: str
    description: str
    eligibility: str
    time_limit_days: int
    fee: str
    channels: list[str]
    valid_from: datetime.date
    valid_to: datetime.date | None
    is_example: bool

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name

    @staticmethod
    def resolve_category_code(obj) -> str:
        return obj.category.code


class ItemDetailOut(ItemOut):
    legal_basis: str
    keywords: str
    materials: list[MaterialOut]

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())


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
    "/catalog/items", response=list[ItemOut], summary="Service items in force (search: 失业保险, sybx, shiye)"
)
def list_items(request, q: str = Query("", max_length=40), category: str | None = Query(None, max_length=30)):
    return selectors.item_list(query=q, category_code=category)


@router.get("/catalog/items/{code}", response=ItemDetailOut, summary="One service item, with its materials")
def get_item(request, code: str):
    return selectors.item_get(code=code)


@router.get(
    "/where", response=WhereOut, summary="Where a resident of a village can do an item, nearest first"
)
def where(
    request,
    item: str = Query(..., max_length=30),
    village: str = Query(..., max_length=20),
    date: datetime.date | None = None,
):
    return selectors.where_answer(item_code=item, village_code=village, on_date=check_served_date(date))
