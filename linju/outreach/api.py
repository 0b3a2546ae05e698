import datetime

from ninja import Field, Query, Router, Schema, Status

from linju.access import guards
from linju.access.guards import needs, signed_in
from linju.accounts.auth import staff_auth
from linju.cases.services import Intake, NewPerson
from linju.geo.cycles import market_days, parse_cycle
from linju.people.shown import text_shown

from . import selectors, services

public = Router(tags=["markets"])
router = Router(tags=["outreach"], auth=staff_auth)


class MarketOut(Schema):
    id: int
    code: str
    name: str
    town: str
    town_code: str
    cycle: str

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.town.name

    @staticmethod
    def resolve_town_code(obj) -> str:
        return obj.town.code


class DaysQuery(Schema):
    start: datetime.date = Field(..., alias="from")
    end: datetime.date = Field(..., alias="to")


@public.get("/markets", response=list[MarketOut], summary="Market places and their cycles (public)")
@guards.public
def list_markets(request, town: str | None = None):
    return selectors.market_list(town_code=town)


@public.get(
    "/markets/{market_id}/days",
    response=list[datetime.date],
    summary="Market days of a market place (public)",
)
@guards.public
def list_market_days(request, market_id: int, query: Query[DaysQuery]):
    market = selectors.market_get(market_id=market_id)
    if not market.cycle:
        return []
    return market_days(parse_cycle(market.cycle), query.start, query.end)


class BoothOut(Schema):
    id: int
    market: str
    market_code: str
    town: str
    date: datetime.date
    status: str
    staff: list[str]
    consultations: int

    @staticmethod
    def resolve_market(obj) -> str:
        return obj.market.name

    @staticmethod
    def resolve_market_code(obj) -> str:
        return obj.market.code

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.market.town.name

    @staticmethod
    def resolve_staff(obj) -> list[str]:
        return [u.username for u in obj.staff.all()]

    @staticmethod
    def resolve_consultations(obj) -> int:
        return obj.consultations.count()


class BoothIn(Schema):
    market_code: str
    date: datetime.date
    staff_ids: list[int]
    item_codes: list[str] | None = None


class PersonIn(Schema):
    name: str
    id_number: str
    phone: str = ""
    village_code: str


class ConsultationIn(Schema):
    item_code: str = ""
    note: str = ""
    resident_id: int | None = None
    make_case: bool = False
    person: PersonIn | None = None
    materials_received: list[str] = []
    materials_missing: list[str] = []
    idempotency_key: str = Field("", max_length=80)
    taken_at: datetime.datetime | None = None


class ConsultationOut(Schema):
    id: int
    item_code: str | None
    note: str
    outcome: str
    case_number: str | None
    slip_code: str | None = Field(
        None, description="the code on the person's slip, to rate the visit (一次一评)"
    )

    @staticmethod
    def resolve_item_code(obj):
        return obj.item.code if obj.item_id else None

    @staticmethod
    def resolve_case_number(obj):
        return obj.case.number if obj.case_id else None

    @staticmethod
    def resolve_note(obj, context) -> str:
        return text_shown(viewer=getattr((context or {}).get("request"), "user", None), text=obj.note)


class CounterConsultationIn(Schema):
    item_code: str = Field("", max_length=30, description="the topic, from the catalogue (or a note)")
    note: str = Field("", max_length=300)
    resident_id: int | None = Field(None, ge=1, description="the person answered, when recorded")
    idempotency_key: str = Field("", max_length=80)
    taken_at: datetime.datetime | None = None


class CounterOut(Schema):
    code: str
    kind: str
    name: str
    town: str | None

    @staticmethod
    def resolve_town(obj) -> str | None:
        return obj.town.name if obj.town_id else None


class NeedSchema(Schema):
    description: str
    outcome: str
    due_date: datetime.date | None = None
    resident_id: int | None = None
    item_code: str = ""


class VisitIn(Schema):
    village_code: str = Field(max_length=20)
    date: datetime.date
    cadre_ids: list[int] = Field([], max_length=20)
    households_met: int = Field(0, ge=0, le=1000)
    notes: str = Field("", max_length=2000)
    needs: list[NeedSchema] = Field([], max_length=50)
    idempotency_key: str = Field("", max_length=80)


class VisitOut(Schema):
    id: int
    village_code: str
    date: datetime.date
    households_met: int
    needs: list[NeedSchema]

    @staticmethod
    def resolve_village_code(obj):
        return obj.village.code

    @staticmethod
    def resolve_needs(obj):
        return [
            {
                "description": n.description,
                "outcome": n.outcome,
                "due_date": n.due_date,
                "resident_id": n.resident_id,
                "item_code": n.case.item.code if n.case_id else "",
            }
            for n in obj.needs.select_related("case__item")
        ]


class HomeTaskIn(Schema):
    kind: str
    resident_id: int
    asked_via: str
    due_date: datetime.date


class HomeTaskOut(Schema):
    id: int
    kind: str
    resident_id: int
    asked_via: str
    due_date: datetime.date
    status: str
    result: str
    done_on: datetime.date | None


class CompleteIn(Schema):
    result: str
    done_on: datetime.date | None = None


@router.get("/outreach/booths", response=list[BoothOut], summary="Booth days in your towns")
@signed_in
def list_booths(request, month: datetime.date | None = None, mine: bool = False):
    return list(
        selectors.booth_list(viewer=request.user, month=month, mine=mine).prefetch_related("consultations")
    )


@router.post("/outreach/booths", response={201: BoothOut}, summary="Set up a booth on a market day")
@needs("outreach.work")
def create_booth(request, payload: BoothIn):
    return Status(
        201,
        services.booth_session_create(
            actor=request.user,
            market_code=payload.market_code,
            day=payload.date,
            staff_ids=payload.staff_ids,
            item_codes=payload.item_codes,
        ),
    )


@router.get("/outreach/booths/{booth_id}/consultations", response=list[ConsultationOut])
@signed_in
def list_consultations(request, booth_id: int):
    return list(
        selectors.booth_get_for_viewer(viewer=request.user, booth_id=booth_id).consultations.select_related(
            "item", "case"
        )
    )


@router.post(
    "/outreach/booths/{booth_id}/consultations",
    response={201: ConsultationOut},
    summary="Log a consultation (or turn it into a case)",
)
@needs("outreach.work")
def create_consultation(request, booth_id: int, payload: ConsultationIn):
    if payload.make_case:
        intake = Intake(
            item_code=payload.item_code,
            channel="booth",
            applicant_id=payload.resident_id,
            person=NewPerson(**payload.person.dict()) if payload.person else None,
            materials_received=payload.materials_received,
            materials_missing=payload.materials_missing,
            idempotency_key=payload.idempotency_key,
            taken_at=payload.taken_at,
        )
        consultation = services.consultation_to_case(
            actor=request.user, booth_id=booth_id, intake=intake, note=payload.note
        )
    else:
        consultation = services.consultation_log(
            actor=request.user,
            booth_id=booth_id,
            item_code=payload.item_code,
            note=payload.note,
            resident_id=payload.resident_id,
            idempotency_key=payload.idempotency_key,
            taken_at=payload.taken_at,
        )
    return Status(201, consultation)


@router.get(
    "/outreach/counters",
    response=list[CounterOut],
    summary="The counters (station, district hall) the caller may log a question at",
)
@needs("outreach.work")
def list_counters(request):
    return selectors.counters_for_viewer(viewer=request.user)


@router.post(
    "/outreach/counters/{code}/consultations",
    response={201: ConsultationOut},
    summary="Log a question answered at a counter, with no case (its slip code rates the visit)",
)
@needs("outreach.work")
def create_counter_consultation(request, code: str, payload: CounterConsultationIn):
    consultation = services.counter_consultation_log(
        actor=request.user,
        service_point_code=code,
        item_code=payload.item_code,
        note=payload.note,
        resident_id=payload.resident_id,
        idempotency_key=payload.idempotency_key,
        taken_at=payload.taken_at,
    )
    return Status(201, consultation)


@router.post(
    "/outreach/visits", response={201: VisitOut}, summary="Record a village visit and the needs raised"
)
@needs("outreach.work")
def create_visit(request, payload: VisitIn):
    needs = [services.NeedIn(**n.dict()) for n in payload.needs]
    visit = services.visit_record(
        actor=request.user,
        village_code=payload.village_code,
        day=payload.date,
        cadre_ids=payload.cadre_ids,
        households_met=payload.households_met,
        notes=payload.notes,
        needs=needs,
        idempotency_key=payload.idempotency_key,
    )
    return Status(201, visit)


@router.get("/outreach/home-tasks", response=list[HomeTaskOut])
@needs("person.read")
def list_home_tasks(request, status: str | None = "open"):
    return list(selectors.home_task_list(viewer=request.user, status=status or None))


@router.post("/outreach/home-tasks", response={201: HomeTaskOut})
@needs("outreach.work")
def create_home_task(request, payload: HomeTaskIn):
    return Status(201, services.home_task_create(actor=request.user, **payload.dict()))


@router.post("/outreach/home-tasks/{task_id}/complete", response=HomeTaskOut)
@needs("outreach.work")
def complete_home_task(request, task_id: int, payload: CompleteIn):
    return services.home_task_complete(
        actor=request.user, task_id=task_id, result=payload.result, done_on=payload.done_on
    )
