import datetime
import decimal
from typing import Annotated

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from pydantic import Discriminator, StringConstraints, Tag

from linju.access.guards import needs, public
from linju.accounts.auth import staff_auth
from linju.core.errors import DomainError, NotFound
from linju.core.limits import rate_limited
from linju.core.pagination import Pages
from linju.core.request_context import request_context
from linju.identity import services as services_identity
from linju.identity.models import Method

from . import bundle_selectors, selectors, services
from .bundle_api import BundleCaseOut
from .models import BundleCase, Case
from .promises import case_promise, promise_sentence
from .services.common import MAX_MATERIALS
from .services.status import LookupPaused as TooMany

router = Router(tags=["cases"], auth=staff_auth)


class PersonIn(Schema):
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=24)
    phone: str = Field("", max_length=24)
    village_code: str = Field(max_length=12)


class AuthoriseIn(Schema):
    """An authorisation (委托) the person gives on the spot; the photo of the signed form is sent after
    it (POST /api/v1/authorisations/{id}/evidence)."""

    all_items: bool = False
    until: datetime.date | None = None
    kind: str = Field("", max_length=10, description="family, helper or cadre; by default from the relation")
    helper_id: int | None = Field(None, ge=1, le=2**31 - 1)


class AgentIn(Schema):
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=24)
    relation: str = Field(max_length=10)
    phone: str = Field("", max_length=24)
    texts: bool = False
    authorisation_id: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="the person's authorisation in force (any that covers the item if none)",
    )
    authorise: AuthoriseIn | None = Field(None, description="or one the person gives now")


def _agent(agent: dict | None):
    if not agent:
        return None
    spot = agent.pop("authorise", None)
    return services.Agent(**agent, authorise=services.AuthoriseNow(**spot) if spot else None)


class IdentificationIn(Schema):
    method: Method = Field(description="id_card_reader, social_card, ecard or by_hand")
    receipt: str = Field(
        "", max_length=1000, description="a card or code: the receipt of POST /identity/verifications"
    )
    terminal: str = Field("", max_length=60, description="the counter's terminal or the device")
    reason: str = Field(
        "", max_length=500, description="by hand, or the verifier unreachable: how and why (required then)"
    )


# a material's name as the form takes it (the service folds its spaces and keeps 120 characters)
Material = Annotated[str, StringConstraints(max_length=200)]


class CaseIn(Schema):
    item_code: str = Field("", max_length=30, description="the service item; or give bundle instead")
    bundle: str = Field(
        "", max_length=30, description="a bundle (一件事) by its code, in place of item_code: one bundle case"
    )
    channel: str = Field(max_length=20)
    applicant_id: int | None = Field(None, ge=1, le=2**31 - 1)
    person: PersonIn | None = None
    service_point_code: str = Field("", max_length=40)
    market_code: str = Field("", max_length=40)
    village_code: str = Field("", max_length=12)
    description: str = Field("", max_length=2000)
    materials_received: list[Material] = Field([], max_length=MAX_MATERIALS)
    materials_missing: list[Material] = Field([], max_length=MAX_MATERIALS)
    idempotency_key: str = Field("", max_length=80)
    agent: AgentIn | None = None
    identification: IdentificationIn | None = Field(
        None, description="how the person was identified; only the event is kept, never a code or card"
    )
    texts_to_applicant: bool = True
    phone: str = Field(
        "",
        max_length=24,
        description="the phone the applicant gives for this case, where its texts go (with person: person.phone)",
    )
    registered_name: bool = Field(
        False,
        description=(
            "after a 409 name_differs: the person says the ID number is theirs; take the case under the "
            "name registered for it"
        ),
    )
    taken_at: datetime.datetime | None = Field(
        None, description="when a device took it offline: the promised date counts from then (last 7 days)"
    )
    no_materials_reason: str = Field(
        "",
        max_length=500,
        description="why no material was handed in or marked missing (required when both lists are empty)",
    )
    ethnic_group: str = Field(
        "",
        max_length=2,
        description="民族, the two-digit GB/T 3304 code (01 汉族 … 56 基诺族, 97, 98), for the 金保 entry "
        "sheet; optional",
    )


def identification_in(given: dict | None) -> services_identity.IdentificationIn | None:
    return services_identity.IdentificationIn(**given) if given else None


def _viewer(context):
    return getattr((context or {}).get("request"), "user", None)


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    at: datetime.datetime
    by: str | None = None
    note: str
    detail: dict

    @staticmethod
    def resolve_at(obj) -> datetime.datetime:
        return timezone.localtime(obj.created_at)  # the same text whether just written or read back

    @staticmethod
    def resolve_by(obj) -> str | None:
        if not obj.actor_id:
            return None
        return obj.by_name if hasattr(obj, "by_name") else obj.actor.username


class CaseOut(Schema):
    number: str
    status: str
    level: str
    item_code: str
    item: str
    channel: str
    town: str
    applicant: str
    accepted_at: datetime.datetime
    promised_date: datetime.date
    promised_estimated: bool
    materials_received: list[str]
    materials_missing: list[str]
    version: int

    @staticmethod
    def resolve_accepted_at(obj) -> datetime.datetime:
        return timezone.localtime(obj.accepted_at)

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.town.name

    @staticmethod
    def resolve_applicant(obj, context) -> str:
        return selectors.case_people(viewer=_viewer(context), case=obj).applicant


def _finishing_office_name(case: Case) -> str:
    """The office that finishes the case, found once for the answer that names it twice (the case
    was read or written for this answer)."""
    if "_finishing_office_name" not in case.__dict__:
        case.__dict__["_finishing_office_name"] = services.finishing_office_name(case)
    return case.__dict__["_finishing_office_name"]


class CaseDetailOut(CaseOut):
    return_reason: str
    finished_by: str
    outcome: str
    outcome_detail: str
    outcome_rule: str
    outcome_amount: decimal.Decimal | None
    outcome_period: str
    handover: str
    agent_name: str
    agent_relation: str
    promise: str
    allowed_actions: list[str]
    events: list[EventOut]

    @staticmethod
    def resolve_agent_name(obj, context) -> str:
        return selectors.case_people(viewer=_viewer(context), case=obj).agent

    @staticmethod
    def resolve_finished_by(obj) -> str:
        return _finishing_office_name(obj)

    @staticmethod
    def resolve_promise(obj) -> str:
        return promise_sentence(case_promise(obj), _finishing_office_name(obj))

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[str]:
        request = (context or {}).get("request")
        return services.allowed_actions(obj, getattr(request, "user", None))

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())  # prefetched with their actors by the selector or the service


class CaseFilters(Schema):
    status: Case.Status | None = None
    due_before: datetime.date | None = None
    work_list: str | None = Field(None, pattern="^(" + "|".join(selectors.WORK_LISTS) + ")$")


class OutcomeIn(Schema):
    kind: str = Field(max_length=10)
    detail: str = Field("", max_length=2000)
    rule: str = Field("", max_length=200)
    amount: decimal.Decimal | None = Field(None, ge=0, le=1_000_000, max_digits=10, decimal_places=2)
    period: str = Field("", max_length=60)
    hand_over: bool = False


class TransitionIn(Schema):
    action: str = Field(max_length=10)
    note: str = Field("", max_length=2000)
    missing: list[str] = Field([], max_length=30)
    reason: str = Field("", max_length=2000)
    outcome: OutcomeIn | None = None
    expected_version: int | None = Field(None, ge=1)


class ExtensionIn(Schema):
    working_days: int = Field(ge=1, le=30)
    reason: str = Field(max_length=500)


class ExtensionDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=500)


class ExtensionOut(Schema):
    id: int
    working_days: int
    reason: str
    status: str
    asked_by: str
    decided_by: str | None = None

    @staticmethod
    def resolve_asked_by(obj) -> str:
        return obj.asked_by.username

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.username if obj.decided_by_id else None


# a case, or a bundle case (一件事) with its parts: told apart by what was made, never by trying both
CaseOrBundle = Annotated[
    Annotated[CaseDetailOut, Tag("case")] | Annotated[BundleCaseOut, Tag("bundle")],
    Discriminator(lambda obj: "bundle" if isinstance(obj, BundleCase | BundleCaseOut) else "case"),
]


@router.post(
    "/cases",
    response={201: CaseOrBundle, 200: CaseOrBundle},
    summary="Take a case, or a bundle (一件事) with `bundle` in place of `item_code` (idempotency_key makes retries safe)",
)
@needs("case.accept")
def create_case(request, payload: CaseIn):
    data = payload.dict()
    bundle = data.pop("bundle").strip()
    if bool(bundle) == bool(data["item_code"].strip()):
        raise DomainError(
            _("Give either the service item (item_code) or the bundle (bundle), one of the two."),
            code="item_or_bundle",
            field="bundle" if bundle else "item_code",
        )
    if bundle:
        return _create_bundle_case(request, bundle, data)
    person = data.pop("person")
    agent = data.pop("agent")
    identification = data.pop("identification")
    intake = services.Intake(
        **data,
        person=services.NewPerson(**person) if person else None,
        agent=_agent(agent),
        identification=identification_in(identification),
    )
    accepted = services.case_accept_once(actor=request.user, intake=intake)
    return Status(
        201 if accepted.created else 200, selectors.with_timeline(accepted.case, events=accepted.events)
    )


def _create_bundle_case(request, code: str, data: dict):
    person, agent = data.pop("person"), data.pop("agent")
    identification = data.pop("identification")
    intake = services.Intake(
        **data,
        person=services.NewPerson(**person) if person else None,
        agent=_agent(agent),
        identification=identification_in(identification),
    )
    accepted = services.bundle_accept_once(actor=request.user, code=code, intake=intake)
    return Status(
        201 if accepted.created else 200,
        bundle_selectors.with_parts(accepted.bundle_case, parts=accepted.parts),
    )


@router.get("/cases", response=list[CaseOut], summary="Cases in your towns")
@paginate(Pages, page_size=50)
@needs("case.read")
def list_cases(request, filters: Query[CaseFilters]):
    return selectors.case_list(
        viewer=request.user, status=filters.status, due_before=filters.due_before, work_list=filters.work_list
    )


@router.get(
    "/cases/{number}",
    response=CaseOrBundle,
    summary="One case with its timeline, or a bundle case with its parts",
)
@needs("case.read")
def get_case(request, number: str):
    try:
        return services.case_open(
            viewer=request.user, number=number, what="api", context=request_context(request), timeline=True
        )
    except NotFound:  # not a case of the viewer's: perhaps a bundle case (the same 404 otherwise)
        return services.bundle_case_open(viewer=request.user, number=number, context=request_context(request))


@router.post(
    "/cases/{number}/transitions",
    response=CaseDetailOut,
    summary="Move a case: start, suspend, resume, forward, finish, return",
)
@needs(*services.MOVE_CAPABILITIES)
def transition(request, number: str, payload: TransitionIn):
    data = payload.dict()
    outcome = data.pop("outcome")
    return selectors.with_timeline(
        services.case_transition(
            actor=request.user,
            number=number,
            outcome=services.Outcome(**outcome) if outcome else None,
            **data,
        )
    )


@router.post(
    "/cases/{number}/extensions",
    response={201: ExtensionOut},
    summary="Ask for an extension (延期); another person approves it",
)
@needs("case.extend")
def ask_extension(request, number: str, payload: ExtensionIn):
    extension = services.extension_ask(actor=request.user, number=number, **payload.dict())
    return Status(201, extension)


@router.post(
    "/cases/{number}/extensions/{extension_id}",
    response=ExtensionOut,
    summary="Approve or refuse an extension (not by the person who asked)",
)
@needs("case.extend_approve")
def decide_extension(request, number: str, extension_id: int, payload: ExtensionDecisionIn):
    return services.extension_decide(
        actor=request.user, extension_id=extension_id, number=number, **payload.dict()
    )


class PhotoIn(Schema):
    material: str = Field(max_length=120)
    idempotency_key: str = Field(max_length=80)
    taken_at: datetime.datetime | None = None


class PhotoOut(Schema):
    id: int
    case: str
    material: str
    taken_at: datetime.datetime

    @staticmethod
    def resolve_case(obj) -> str:
        return obj.case.number


@router.post(
    "/cases/{number}/photos",
    response={201: PhotoOut},
    summary="A photo of a paper handed over (multipart; the same idempotency_key gives the same photo)",
)
@needs("case.photo")
def add_photo(request, number: str, image: File[UploadedFile], details: Form[PhotoIn]):
    photo = services.case_photo_add(actor=request.user, number=number, image=image, **details.dict())
    return Status(201, photo)


# 好差评 for residents' own apps: public, and refused to any staff session or key
ratings = Router(tags=["ratings"])


class RatingIn(Schema):
    number: str = Field(max_length=24, description="the case number (办件编号)")
    phone_last4: str = Field(min_length=4, max_length=4, pattern=r"^\d{4}$")
    level: int = Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    comment: str = Field("", max_length=500)


class RatingOut(Schema):
    level: int
    callback_due: datetime.date | None = Field(None, description="a named 差评: when it is called back by")


@ratings.post("/ratings", response={201: RatingOut}, summary="The resident rates a finished case (一事一评)")
@public
def rate_case(request, payload: RatingIn):
    services.staff_refused(
        signed_in=request.user.is_authenticated, with_key="HTTP_AUTHORIZATION" in request.META
    )
    if rate_limited(
        request, group="status-lookup", key="ip", rate=settings.STATUS_LOOKUP_RATE, fail_open=False
    ):
        raise TooMany(_("Too many look-ups from here. Please wait a minute and try again."))
    rating = services.case_rate_by_resident(**payload.dict())
    callback = getattr(rating, "callback", None)
    return Status(201, {"level": rating.level, "callback_due": callback.due_on if callback else None})
