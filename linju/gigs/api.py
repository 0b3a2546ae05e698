"""The gig market's JSON API: gigs (public list, posting), sign-ins, the candidates in the published
order with their reasons, dispatches. Every string and number is bounded; people are masked and
every list of them recorded."""

import datetime
import uuid
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from linju.access.guards import needs, public
from linju.accounts.auth import staff_auth
from linju.core.errors import DomainError
from linju.core.request_context import request_context
from linju.geo.selectors import town_get

from . import selectors
from .services import dispatching, posting, signing_in

router = Router(tags=["gigs"], auth=staff_auth)


class GigFilters(Schema):
    town: str | None = Field(None, max_length=12, description="a town's code")
    place: str | None = Field(None, max_length=50, description='"market:<code>" or "point:<code>"')
    first: datetime.date | None = Field(None, description="the first day (today by default)")
    days: int = Field(selectors.WEEK, ge=0, le=31, description="how many days after the first")


class GigPublicOut(Schema):
    id: int
    title: str
    work_type: str
    work_type_name: str
    town: str
    place: str
    place_name: str
    village: str
    village_name: str
    address: str
    starts_on: datetime.date
    ends_on: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    pay: Decimal
    pay_unit: str
    pay_words: str
    headcount: int
    min_age: int
    max_age: int | None
    heavy: bool
    tools: str
    employer_name: str
    status: str

    @staticmethod
    def resolve_work_type(obj) -> str:
        return obj.work_type.code

    @staticmethod
    def resolve_work_type_name(obj) -> str:
        return obj.work_type.name

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.town.code

    @staticmethod
    def resolve_place(obj) -> str:
        return f"market:{obj.market.code}" if obj.market_id else f"point:{obj.service_point.code}"

    @staticmethod
    def resolve_place_name(obj) -> str:
        return (obj.market or obj.service_point).name

    @staticmethod
    def resolve_village(obj) -> str:
        return obj.village.code

    @staticmethod
    def resolve_village_name(obj) -> str:
        return f"{obj.village.town.name}{obj.village.name}"

    @staticmethod
    def resolve_pay_words(obj) -> str:
        return selectors.pay_words(obj)


class GigOut(GigPublicOut):
    contact_name: str
    contact_phone: str


class GigIn(Schema):
    place: str = Field(
        ..., max_length=50, description='where it is posted: "market:<code>" or "point:<code>"'
    )
    work_type: str = Field(..., max_length=30, description="a work type's code (GET the list from the page)")
    village: str = Field("", max_length=12, description="the village of the work (the place's town's first)")
    title: str = Field("", max_length=80)
    details: str = Field("", max_length=500)
    address: str = Field("", max_length=120)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None
    pay: Decimal = Field(..., gt=0, le=100000, max_digits=9, decimal_places=2)
    pay_unit: str = Field("day", max_length=5, description="day, hour or piece")
    headcount: int = Field(1, ge=1, le=posting.MAX_HEADCOUNT)
    min_age: int = Field(16, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)
    heavy: bool | None = Field(None, description="heavy work (the work type's own by default)")
    tools: str = Field("", max_length=100)
    employer_name: str = Field(..., max_length=80)
    contact_name: str = Field("", max_length=40)
    contact_phone: str = Field(..., max_length=24)


class WorkerIn(Schema):
    resident_id: int | None = Field(None, ge=1, le=2**63 - 1, description="a resident of your towns")
    seeker_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="or a job seeker who also takes gigs: made from their record"
    )
    work_types: list[str] = Field([], max_length=30, description="codes of kinds of work")
    villages: list[str] = Field(
        [], max_length=60, description="village codes they can reach (their own by default)"
    )
    available_from: datetime.time = datetime.time(7, 0)
    available_until: datetime.time = datetime.time(18, 0)
    accepts_heavy: bool = False
    hardship: bool = False


class WorkerOut(Schema):
    id: int
    name: str
    work_types: list[str]
    villages: list[str]
    available_from: datetime.time
    available_until: datetime.time
    accepts_heavy: bool
    hardship: bool

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_work_types(obj) -> list[str]:
        return sorted(w.code for w in obj.work_types.all())

    @staticmethod
    def resolve_villages(obj) -> list[str]:
        return sorted(v.code for v in obj.villages.all())


class SignInIn(Schema):
    place: str = Field(..., max_length=50, description='"market:<code>" or "point:<code>"')
    id_number: str = Field(..., max_length=24)
    client_ref: uuid.UUID | None = Field(None, description="the field app's reference: sent twice, kept once")
    signed_in_at: datetime.datetime | None = Field(
        None, description="when it was taken (offline), now by default"
    )


class SignInOut(Schema):
    id: int
    created: bool
    day: datetime.date
    signed_in_at: datetime.datetime
    place: str
    name: str
    id_number: str

    @staticmethod
    def resolve_id(obj) -> int:
        return obj.sign_in.pk

    @staticmethod
    def resolve_day(obj) -> datetime.date:
        return obj.sign_in.day

    @staticmethod
    def resolve_signed_in_at(obj) -> datetime.datetime:
        return timezone.localtime(obj.sign_in.signed_in_at)


class CandidateOut(Schema):
    position: int
    worker_id: int
    name: str
    id_number: str
    signed_in_at: datetime.datetime
    reasons: list[str]
    dispatched: bool


class CandidatesOut(Schema):
    gig_id: int
    day: datetime.date
    headcount: int
    places_left: int
    signed_in: int
    candidates: list[CandidateOut]


class PassedOverIn(Schema):
    worker_id: int = Field(..., ge=1)
    reason: str = Field(..., max_length=200, description="absent, declined, no_answer, employer, or words")


class DispatchIn(Schema):
    worker_id: int = Field(..., ge=1)
    passed_over: list[PassedOverIn] = Field([], max_length=500)
    others: str = Field("", max_length=200, description="the reason for those ahead not named")
    text_slip: bool = True


class DispatchOut(Schema):
    id: int
    gig_id: int
    worker_id: int
    position: int
    reasons: list[str]
    passed_over: list[dict]
    slip_texted: bool
    slip_url: str
    status: str

    @staticmethod
    def resolve_passed_over(obj) -> list[dict]:
        return [
            {"position": p.position, "worker_id": p.worker_id, "reason": p.reason}
            for p in obj.passed_over.all()
        ]

    @staticmethod
    def resolve_slip_url(obj) -> str:
        return reverse("gigs:slip", args=[obj.pk])


@router.get(
    "/gigs", response=list[GigPublicOut], auth=None, summary="Gigs of the day and the coming week (public)"
)
@public
def list_gigs(request, filters: Query[GigFilters]):
    town = town_get(code=filters.town) if filters.town else None
    place = selectors.place_public(value=filters.place) if filters.place else None
    return list(selectors.gigs_public(town=town, place=place, first=filters.first, days=filters.days)[:500])


@router.post("/gigs", response={201: GigOut}, summary="Post a gig at a market or a job-service place")
@needs("gig.post")
def post_gig(request, payload: GigIn):
    return Status(201, posting.gig_post(actor=request.user, **payload.dict()))


@router.post(
    "/gig-workers",
    response={201: WorkerOut},
    summary="Register a resident as a gig worker, or make one from a job seeker's record",
)
@needs("gig.worker")
def register_gig_worker(request, payload: WorkerIn):
    if payload.seeker_id is not None:
        return Status(201, signing_in.gig_worker_from_seeker(actor=request.user, seeker_id=payload.seeker_id))
    if payload.resident_id is None:
        raise DomainError(_("Name the resident or the job seeker."), field="resident_id")
    fields = payload.dict(exclude={"seeker_id"})
    return Status(201, signing_in.gig_worker_register(actor=request.user, **fields))


@router.post(
    "/gig-sign-ins",
    response={201: SignInOut, 200: SignInOut},
    summary="Sign a registered gig worker in at a place by ID number (201 new, 200 already signed in)",
)
@needs("gig.sign_in")
def sign_in_gig_worker(request, payload: SignInIn):
    answer = signing_in.gig_sign_in(actor=request.user, **payload.dict())
    return Status(201 if answer.created else 200, answer)


@router.get(
    "/gigs/{gig_id}/candidates",
    response=CandidatesOut,
    summary="The signed-in workers in the published order, with the reasons (people masked; recorded)",
)
@needs("gig.dispatch")
def gig_candidates(request, gig_id: int, day: datetime.date | None = None):
    found = selectors.candidates_for_gig(
        viewer=request.user, gig_id=gig_id, day=day, context=request_context(request)
    )
    sent = found.dispatched_ids
    return {
        "gig_id": found.gig.pk,
        "day": found.day,
        "headcount": found.gig.headcount,
        "places_left": found.places_left,
        "signed_in": found.signed_in,
        "candidates": [
            {
                "position": row.position,
                "worker_id": row.worker_id,
                "name": row.name,
                "id_number": row.id_number,
                "signed_in_at": timezone.localtime(row.sign_in.signed_in_at),
                "reasons": row.reasons,
                "dispatched": row.worker_id in sent,
            }
            for row in found.rows
        ],
    }


@router.post(
    "/gigs/{gig_id}/dispatches", response={201: DispatchOut}, summary="Send a worker to the gig (派工)"
)
@needs("gig.dispatch")
def dispatch_gig_worker(request, gig_id: int, payload: DispatchIn):
    return Status(
        201,
        dispatching.gig_dispatch(
            actor=request.user,
            gig_id=gig_id,
            worker_id=payload.worker_id,
            passed_over={p.worker_id: p.reason for p in payload.passed_over},
            others=payload.others,
            text_slip=payload.text_slip,
        ),
    )
