"""Offers over the JSON API (staff): the list in the viewer's towns, approval of what waits, and an
answer heard by staff. Residents masked; scoped (another town's offer is the same 404 as none);
every list recorded in the audit log."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema

from linju.access.guards import needs
from linju.accounts.auth import staff_auth
from linju.core.errors import NotFound
from linju.core.pagination import MAX_PAGE, MAX_PAGE_SIZE
from linju.core.request_context import request_context
from linju.people.masking import mask_id_number, mask_name

from .selectors import offers_visible
from .services.answers import offer_answer
from .services.approval import offers_approve
from .services.granting import offer_object
from .services.listing import offers_page

router = Router(tags=["offers"], auth=staff_auth)


class OfferOut(Schema):
    id: int
    status: str
    item_code: str
    item: str
    town_code: str
    town: str
    village: str
    resident: str  # masked: 代*峰
    id_number_masked: str
    reach: str
    made_on: datetime.date
    expires_on: datetime.date | None
    answer: str
    answered_via: str
    case_number: str | None

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_town_code(obj) -> str:
        return obj.village.town.code

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.village.town.name

    @staticmethod
    def resolve_village(obj) -> str:
        return obj.village.name

    @staticmethod
    def resolve_resident(obj) -> str:
        return mask_name(obj.resident.name)

    @staticmethod
    def resolve_id_number_masked(obj) -> str:
        return mask_id_number(obj.resident.id_number)

    @staticmethod
    def resolve_made_on(obj) -> datetime.date:
        return timezone.localdate(obj.created_at)

    @staticmethod
    def resolve_case_number(obj) -> str | None:
        return obj.case.number if obj.case_id else None


class OffersPage(Schema):
    count: int
    items: list[OfferOut]


class OfferFilters(Schema):
    status: str = Field("", max_length=12)
    item: str = Field("", max_length=30)
    town: str = Field("", max_length=12)
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class ApprovalIn(Schema):
    item: str = Field("", max_length=30)
    town: str = Field("", max_length=12)


class ApprovedOut(Schema):
    approved: int


class AnswerIn(Schema):
    answer: str = Field(..., max_length=8)
    channel: str = Field(..., max_length=8, description="how staff heard it: phone, booth or visit")
    reason: str = Field("", max_length=200)


class AnsweredOut(Schema):
    status: str
    answer: str
    case_number: str | None = None
    promised_date: datetime.date | None = None
    home_task_id: int | None = None


@router.get("/offers", response=OffersPage, summary="Offers in your towns (residents masked; recorded)")
@needs("offer.read")
def list_offers(request, filters: Query[OfferFilters]):
    count, offers = offers_page(
        viewer=request.user,
        status=filters.status,
        item_code=filters.item,
        town_code=filters.town,
        page=filters.page,
        page_size=filters.page_size,
        context=request_context(request),
    )
    return {"count": count, "items": offers}


@router.post("/offers/approvals", response=ApprovedOut, summary="Approve the offers waiting in your towns")
@needs("offer.approve")
def approve_offers(request, payload: ApprovalIn):
    return {"approved": offers_approve(actor=request.user, town_code=payload.town, item_code=payload.item)}


@router.post(
    "/offers/{offer_id}/answer", response=AnsweredOut, summary="Record a resident's answer heard by staff"
)
@needs("offer.answer")
def answer_offer(request, payload: AnswerIn, offer_id: int = Path(..., ge=1, le=2**63 - 1)):
    offer = offers_visible(viewer=request.user).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound(_("No such offer."))
    answered = offer_answer(
        offer=offer, answer=payload.answer, via=payload.channel, actor=request.user, reason=payload.reason
    )
    return {
        "status": answered.offer.status,
        "answer": answered.answer,
        "case_number": answered.case.number if answered.case else None,
        "promised_date": answered.case.promised_date if answered.case else None,
        "home_task_id": answered.home_task.pk if answered.home_task else None,
    }


class ObjectionIn(Schema):
    channel: str = Field(..., max_length=8, description="how staff heard it: phone, booth or visit")
    reason: str = Field("", max_length=500)


class ObjectedOut(Schema):
    case_number: str
    case_status: str
    promised_date: datetime.date
    changed: bool


@router.post(
    "/offers/{offer_id}/objection",
    response=ObjectedOut,
    summary="Record an objection (异议) to something granted on the data, heard by staff",
)
@needs("offer.answer")
def object_to_offer(request, payload: ObjectionIn, offer_id: int = Path(..., ge=1, le=2**63 - 1)):
    offer = offers_visible(viewer=request.user).filter(pk=offer_id).first()
    if offer is None:
        raise NotFound(_("No such offer."))
    objected = offer_object(offer=offer, via=payload.channel, actor=request.user, reason=payload.reason)
    return {
        "case_number": objected.case.number,
        "case_status": objected.case.status,
        "promised_date": objected.case.promised_date,
        "changed": objected.changed,
    }
