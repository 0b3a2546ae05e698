import datetime

from ninja import Query, Router, Schema

from linju.access.guards import public

from . import selectors
from .acceptance import ways_to_hand_in
from .search import MAX_QUERY

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
    def resolve_channels(obj) -> list[str]:
        return ways_to_hand_in(obj)  # what the places do, not only what the item lists

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


class SearchOut(Schema):
    items: list[ItemOut]
    suggestions: list[ItemOut]
    also_called: dict[str, str]


@router.get(
    "/catalog/items", response=list[ItemOut], summary="Service items in force (search: 失业保险, sybx, shiye)"
)
@public
def list_items(
    request, q: str = Query("", max_length=MAX_QUERY), category: str | None = Query(None, max_length=30)
):
    return selectors.item_list(query=q, category_code=category)


@router.get(
    "/catalog/search",
    response=SearchOut,
    summary="Search as residents ask (宅基地复恳, zjdfkylbx, 看病补助): the items found, best first, or "
    "else the items meant ('did you mean'); also_called maps an item's code to the name people use "
    "that found it",
)
@public
def search_items(
    request, q: str = Query(..., max_length=MAX_QUERY), category: str | None = Query(None, max_length=30)
):
    found = selectors.item_search(query=q, category_code=category)
    codes = {item.pk: item.code for item in found.items + found.suggestions}
    return {
        "items": found.items,
        "suggestions": found.suggestions,
        "also_called": {codes[pk]: name for pk, name in found.aliases.items() if pk in codes},
    }


@router.get("/catalog/items/{code}", response=ItemDetailOut, summary="One service item, with its materials")
@public
def get_item(request, code: str):
    return selectors.item_get(code=code)
