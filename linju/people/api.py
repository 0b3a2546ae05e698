import datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from linju.access.guards import needs
from linju.accounts.auth import staff_auth
from linju.core.pagination import Pages
from linju.core.request_context import request_context

from . import selectors, services

router = Router(tags=["people"], auth=staff_auth)


class ResidentOut(Schema):
    """A resident as every member of staff sees them: ID number and phone masked."""

    id: int
    name: str
    sex: str
    birth_date: datetime.date
    id_number_masked: str
    phone_masked: str
    village_code: str
    village: str
    town: str

    @staticmethod
    def resolve_id_number_masked(obj) -> str:
        return obj.masked_id_number

    @staticmethod
    def resolve_phone_masked(obj) -> str:
        return obj.masked_phone

    @staticmethod
    def resolve_village_code(obj) -> str:
        return obj.village.code

    @staticmethod
    def resolve_village(obj) -> str:
        return obj.village.name

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.village.town.name


class ResidentUnmaskedOut(ResidentOut):
    id_number: str
    phone: str


class ResidentIn(Schema):
    name: str
    id_number: str
    phone: str = ""
    village_code: str
    household_number: str = ""


@router.get("/residents", response=list[ResidentOut], summary="Search residents in your towns (masked)")
@paginate(Pages, page_size=20)
@needs("resident.look_up")
def list_residents(request, q: str = "", town: str | None = None, village: str | None = None):
    return selectors.resident_lookup(viewer=request.user, query=q, town_code=town, village_code=village)


@router.get("/residents/{resident_id}", response=ResidentOut, summary="Open a resident's record (audited)")
@needs("person.read")
def get_resident(request, resident_id: int):
    return services.resident_record_open(
        viewer=request.user, resident_id=resident_id, context=request_context(request)
    )


@router.post(
    "/residents/{resident_id}/unmask",
    response=ResidentUnmaskedOut,
    summary="Show the whole ID number and phone (audited)",
)
@needs("resident.unmask")
def unmask_resident(request, resident_id: int):
    return services.resident_unmask(
        viewer=request.user, resident_id=resident_id, context=request_context(request)
    )


@router.post("/residents", response={201: ResidentOut}, summary="Register a resident in one of your villages")
@needs("resident.register")
def register_resident(request, payload: ResidentIn):
    resident = services.resident_register(actor=request.user, **payload.dict())
    return Status(201, resident)
