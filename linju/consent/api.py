"""Authorisations (委托) and consent receipts over the API, for staff of the person's towns: the
field app sends the photo of a signed form after its case, as it sends photos of papers."""

import datetime

from ninja import Field, File, Router, Schema, Status, UploadedFile

from linju.access.guards import needs
from linju.accounts.auth import staff_auth

from . import services

router = Router(tags=["authorisations and consents"], auth=staff_auth)


class AuthorisationIn(Schema):
    principal_id: int = Field(ge=1, le=2**31 - 1)
    agent_kind: str = Field(max_length=10, description="family, helper or cadre")
    agent_name: str = Field("", max_length=40)
    agent_id_number: str = Field("", max_length=24)
    relation: str = Field("", max_length=40)
    agent_phone: str = Field("", max_length=24)
    helper_id: int | None = Field(None, ge=1, le=2**31 - 1)
    all_items: bool = False
    item_codes: list[str] = Field([], max_length=services.authorisations.MAX_ITEMS)
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


class AuthorisationOut(Schema):
    id: int
    principal_id: int
    agent_kind: str
    agent_name: str
    agent_id_number_masked: str
    all_items: bool
    valid_from: datetime.date
    valid_until: datetime.date | None
    status: str
    has_evidence: bool

    @staticmethod
    def resolve_agent_id_number_masked(obj) -> str:
        return obj.masked_agent_id_number

    @staticmethod
    def resolve_has_evidence(obj) -> bool:
        return bool(obj.evidence)


class ConsentIn(Schema):
    resident_id: int = Field(ge=1, le=2**31 - 1)
    purpose: str = Field(max_length=20, description="biometric_cert or medical_data")
    decision: str = Field(max_length=10, description="granted, refused or withdrawn")
    method: str = Field(max_length=12, description="signed_form, spoken or on_screen")
    note: str = Field("", max_length=200)


class ConsentOut(Schema):
    id: int
    resident_id: int
    purpose: str
    decision: str
    legal_basis: str
    separate: bool
    method: str
    recorded_at: datetime.datetime


@router.post(
    "/authorisations", response={201: AuthorisationOut}, summary="A person authorises an agent (委托)"
)
@needs("authorisation.grant")
def grant(request, data: AuthorisationIn):
    fields = data.dict()
    principal_id = fields.pop("principal_id")
    authorisation = services.authorisation_grant(
        actor=request.user, principal_id=principal_id, given=services.AuthorisationIn(**fields)
    )
    return Status(201, authorisation)


@router.post(
    "/authorisations/{authorisation_id}/evidence",
    response={201: AuthorisationOut},
    summary="The photo of the signed form (multipart)",
)
@needs("authorisation.grant")
def evidence(request, authorisation_id: int, image: File[UploadedFile]):
    authorisation = services.authorisation_evidence_add(
        actor=request.user, authorisation_id=authorisation_id, evidence=image
    )
    return Status(201, authorisation)


@router.post(
    "/authorisations/{authorisation_id}/withdrawal",
    response=AuthorisationOut,
    summary="The person (or the agent) ends an authorisation",
)
@needs("authorisation.withdraw")
def withdraw(request, authorisation_id: int):
    return services.authorisation_withdraw(actor=request.user, authorisation_id=authorisation_id)


@router.post(
    "/consents", response={201: ConsentOut}, summary="A person's answer on a purpose that needs consent"
)
@needs("consent.record")
def record(request, data: ConsentIn):
    return Status(201, services.consent_record(actor=request.user, **data.dict()))
