import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from linju.access.guards import public
from linju.core.errors import NotFound
from linju.geo.models import Town

from . import bundles, selectors
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


class BundleOut(Schema):
    code: str
    name: str
    name_en: str
    description: str
    bureau: str
    lead_item: str = Field(description="the lead part's item: the bundle is taken where it is taken")
    part_items: list[str] = Field(description="the codes of its parts' items, the lead first")
    time_limit_days: int = Field(description="the longest promise of its parts, in working days")
    valid_from: datetime.date = Field(description="the version in force: from")
    valid_to: datetime.date | None
    is_example: bool


def _summary(offered: bundles.Offered) -> dict:
    bundle, version = offered.bundle, offered.held
    return {
        "code": bundle.code,
        "name": bundle.name,
        "name_en": bundle.name_en,
        "description": bundle.description,
        "bureau": bundle.bureau.name,
        "lead_item": version.lead.item.code,
        "part_items": [part.item.code for part in version.parts],
        "time_limit_days": version.time_limit_days,
        "valid_from": version.version.valid_from,
        "valid_to": version.version.valid_to,
        "is_example": bundle.is_example,
    }


class OfficeOut(Schema):
    kind: str = Field(description="partner (another department's office) or bureau (its station or hall)")
    name: str
    department: str = Field(description="the partner's department (housing_fund, medical_insurance, …)")
    department_says: str = Field(description="the department in plain words; empty for the bureau")
    phone: str
    address: str
    delivery: str = Field(description="how the bureau sends a partner the part and its papers (送达)")
    delivery_says: str = Field(description="the way it is sent, in plain words")
    delivery_days: int = Field(description="working days for the papers to reach the partner")


class PartOut(Schema):
    item_code: str
    item: str
    is_lead: bool
    note: str
    time_limit_days: int = Field(description="the part's promised working days, on its own clock")
    office: OfficeOut


class QuestionOut(Schema):
    code: str
    text: str
    text_en: str
    kind: str
    choices: list[str]
    required: bool
    items: list[str] = Field(description="the codes of the parts' items that ask it")


class MergedMaterialOut(Schema):
    name: str
    required: bool
    notes: list[str]
    items: list[str] = Field(description="the codes of the parts' items that need it")


class BundleDetailOut(BundleOut):
    description_en: str
    keywords: str
    office_for: str = Field(description="the town the bureau's offices are named for, or empty")
    parts: list[PartOut]
    questions: list[QuestionOut]
    materials: list[MergedMaterialOut]


class SearchOut(Schema):
    items: list[ItemOut]
    suggestions: list[ItemOut]
    also_called: dict[str, str]
    bundles: list[BundleOut] = Field(description="the bundles (一件事) the words find")


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
        "bundles": [_summary(offered) for offered in bundles.bundle_search(query=q)],
        "items": found.items,
        "suggestions": found.suggestions,
        "also_called": {codes[pk]: name for pk, name in found.aliases.items() if pk in codes},
    }


@router.get("/catalog/items/{code}", response=ItemDetailOut, summary="One service item, with its materials")
@public
def get_item(request, code: str):
    return selectors.item_get(code=code)


def _office(part, bureau, town: Town | None, on_date: datetime.date) -> dict:
    partner = part.partner
    if partner is not None:
        return {
            "kind": "partner",
            "name": partner.name,
            "department": partner.department,
            "department_says": partner.get_department_display(),
            "phone": partner.phone,
            "address": partner.address,
            "delivery": partner.delivery,
            "delivery_says": partner.get_delivery_display(),
            "delivery_days": partner.delivery_days,
        }
    point = selectors.finisher_for(item=part.item, town=town, on_date=on_date).service_point if town else None
    return {
        "kind": "bureau",
        "name": point.name if point else bureau.name,
        "department": "",
        "department_says": "",
        "phone": point.phone if point else "",
        "address": point.address if point else "",
        "delivery": "",
        "delivery_says": "",
        "delivery_days": 0,
    }


@router.get(
    "/bundles",
    response=list[BundleOut],
    summary="Bundles (一件事) offered on a day, or those words find (退休, tuixiu, txyjs)",
)
@public
def list_bundles(request, q: str = Query("", max_length=MAX_QUERY), date: datetime.date | None = None):
    return [_summary(offered) for offered in bundles.bundle_search(query=q, on_date=date)]


@router.get(
    "/bundles/{code}",
    response=BundleDetailOut,
    summary="One bundle: its parts with the office that finishes each and its promise, the one form "
    "and the one list of papers (each asked once, naming the items that need it)",
)
@public
def get_bundle(
    request,
    code: str,
    date: datetime.date | None = None,
    town: str = Query(
        "", max_length=12, description="name the station or hall of this town for the bureau's parts"
    ),
):
    on_date = date or timezone.localdate()
    offered = bundles.bundle_get(code=code, on_date=on_date)
    bureau = offered.bundle.bureau
    chosen = None
    if town:
        chosen = Town.objects.filter(code=town, bureau_id=bureau.pk).first()
        if chosen is None:
            raise NotFound(
                _("No town with code %(code)s in %(bureau)s."), params={"code": town, "bureau": bureau.name}
            )
    return {
        **_summary(offered),
        "description_en": offered.bundle.description_en,
        "keywords": offered.bundle.keywords,
        "office_for": chosen.name if chosen else "",
        "parts": [
            {
                "item_code": part.item.code,
                "item": part.item.name,
                "is_lead": part.is_lead,
                "note": part.note,
                "time_limit_days": part.item.time_limit_days,
                "office": _office(part, bureau, chosen, on_date),
            }
            for part in offered.parts
        ],
        "questions": [
            {
                "code": q.question.code,
                "text": q.question.text,
                "text_en": q.question.text_en,
                "kind": q.question.kind,
                "choices": q.question.choices,
                "required": q.required,
                "items": [item.code for item in q.items],
            }
            for q in offered.held.questions
        ],
        "materials": [
            {
                "name": m.name,
                "required": m.required,
                "notes": list(m.notes),
                "items": [i.code for i in m.items],
            }
            for m in offered.held.materials
        ],
    }
