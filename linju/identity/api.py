"""`POST /api/v1/identity/verifications`: check a card on the terminal's reader, or an e-card's QR
code, for a person before their case is sent; the answer's receipt goes with the case
(`identification.receipt`). Nothing is stored by the check."""

from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema

from linju.access.guards import needs
from linju.accounts.auth import staff_auth
from linju.core.errors import DomainError
from linju.people.selectors import resident_get_for_viewer

from .models import Method
from .services import identification_verify

router = Router(tags=["identity"], auth=staff_auth)


class PersonToCheck(Schema):
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=24)


class VerificationIn(Schema):
    method: Method = Field(description="id_card_reader, social_card or ecard")
    terminal: str = Field("", max_length=60, description="the counter's terminal or the device: its reader")
    qr: str = Field(
        "", max_length=2000, description="the e-card's QR code as scanned (passed on, never kept)"
    )
    applicant_id: int | None = Field(None, ge=1, le=2**31 - 1, description="a registered resident, or person")
    person: PersonToCheck | None = None


class VerificationOut(Schema):
    result: str = Field(description="valid, expired, mismatch (not this person) or unreachable")
    message: str
    receipt: str = Field(description="give it as identification.receipt with the case; empty when refused")


@router.post(
    "/verifications",
    response=VerificationOut,
    summary="Check a card or an e-card code for a person",
    url_name="identity_verify",
)
@needs("identity.verify")
def verify(request, payload: VerificationIn):
    if payload.applicant_id:
        resident = resident_get_for_viewer(viewer=request.user, resident_id=payload.applicant_id)
        name, id_number = resident.name, resident.id_number
    elif payload.person is not None:
        name, id_number = payload.person.name, payload.person.id_number
    else:
        raise DomainError(_("Say whom the card or code is checked for."), field="applicant_id")
    verified = identification_verify(
        viewer=request.user,
        method=payload.method,
        name=name,
        id_number=id_number,
        terminal=payload.terminal,
        qr=payload.qr,
    )
    return {"result": verified.result, "message": str(verified.message), "receipt": verified.receipt}
