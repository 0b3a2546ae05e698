import datetime

from ninja import Query, Router, Schema

from . import selectors
from .acceptance import ways_to_hand_in

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


@router.get(
    "/catalog/items", response=list[ItemOut], summary="Service items in force (search: 失业保险, sybx, shiye)"
)
def list_items(request, q: str = Query("", max_length=40), category: str | None = Query(None, max_length=30)):
    return selectors.item_list(query=q, category_code=category)


@router.get("/catalog/items/{code}", response=ItemDetailOut, summary="One service item, with its materials")
def get_item(request, code: str):
    return selectors.item_get(code=code)
