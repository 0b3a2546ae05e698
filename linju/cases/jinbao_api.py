"""The 金保 hand-off over the API (a staff key or session): the cases waiting per town, a case's entry
sheet with its coded fields, a town's day of sheets, and the step 录入金保. Sheets hold whole ID
numbers: each answer is recorded in the audit log as an export."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from linju.access.guards import needs
from linju.accounts.auth import staff_auth
from linju.core.request_context import request_context

from . import services
from .jinbao_codes import BUSINESS_NUMBER_LENGTH
from .jinbao_selectors import DAY_MAX, Sheet, jinbao_waiting
from .models import JinbaoEntry

router = Router(tags=["金保"], auth=staff_auth)

TOWN = r"^\d{12}$"


class CodedOut(Schema):
    code: str = Field(..., description="the code ('' when not given)")
    name: str


class EntryOut(Schema):
    business_number: str = Field(..., description=f"{BUSINESS_NUMBER_LENGTH} digits")
    entered_by: str
    entered_at: datetime.datetime

    @staticmethod
    def resolve_entered_by(obj: JinbaoEntry) -> str:
        return obj.entered_by.username

    @staticmethod
    def resolve_entered_at(obj: JinbaoEntry) -> datetime.datetime:
        return timezone.localtime(obj.entered_at)


class SheetOut(Schema):
    number: str = Field(..., description="办件编号")
    accepted_at: datetime.datetime
    channel: str
    place: str
    item: CodedOut = Field(..., description="事项编码 and name")
    name: str
    id_type: CodedOut = Field(..., description="证件类型, the 人社 code (AAC058): 01 居民身份证（户口簿）")
    id_type_national: str = Field(..., description="the national 政务服务 code of the same: 111")
    id_number: str = Field(..., description="whole: it is typed into 金保 (the answer is recorded)")
    sex: CodedOut = Field(..., description="GB/T 2261.1: 1 男, 2 女")
    birth_date: datetime.date
    ethnic_group: CodedOut = Field(
        ..., description="GB/T 3304, two digits; code '' and name 未填 when not given"
    )
    phone: str
    county: str = Field(..., description="GB/T 2260, six digits")
    town: CodedOut = Field(..., description="12-digit division code")
    village: CodedOut = Field(..., description="12-digit division code")
    received: list[str]
    missing: list[str]
    entry: EntryOut | None = Field(None, description="录入金保, once done")

    @staticmethod
    def resolve_accepted_at(obj: Sheet) -> datetime.datetime:
        return timezone.localtime(obj.accepted_at)


class WaitingRowOut(Schema):
    number: str
    item: str
    name: str = Field(..., description="masked")
    accepted_on: datetime.date
    days: int = Field(..., description="calendar days since intake")
    channel: str
    place: str


class WaitingTownOut(Schema):
    town: CodedOut
    waiting: int
    oldest_days: int | None
    rows: list[WaitingRowOut] = Field(..., description="the cases, oldest first: only for the town asked")

    @staticmethod
    def resolve_town(obj) -> dict:
        return {"code": obj.town.code, "name": obj.town.name}


class WaitingQuery(Schema):
    town: str = Field("", max_length=12, description="a town's 12-digit code: its cases are listed")


class EntryIn(Schema):
    business_number: str = Field(
        ...,
        max_length=60,
        description="the 金保 business number typed back: 20 digits (the county's 6-digit code, the entry "
        "date YYYYMMDD, a 6-digit sequence); spaces and dashes between digits are dropped",
        examples=["50011020261206000123"],
    )


@router.get("/jinbao/waiting", response=list[WaitingTownOut], summary="Cases waiting for 金保, by town")
@needs("jinbao.sheet")
def waiting(request, query: Query[WaitingQuery]):
    towns = jinbao_waiting(viewer=request.user, town_code=query.town)
    shown = next((t for t in towns if t.shown), None)
    if shown is not None and shown.rows:
        services.jinbao_waiting_listed(viewer=request.user, town=shown, context=request_context(request))
    return towns


@router.get("/jinbao/sheets/{number}", response=SheetOut, summary="A case's 金保 entry sheet, coded")
@needs("jinbao.sheet")
def sheet(request, number: str):
    return services.jinbao_sheet_open(
        viewer=request.user, number=number[:20], what="api", context=request_context(request)
    )


@router.get(
    "/jinbao/days/{town}/{day}",
    response=list[SheetOut],
    summary="A town's day of 金保 entry sheets",
    description=f"By case number, at most {DAY_MAX} a part: X-Total-Count says how many the day has "
    "in all, X-Parts in how many parts, and a Link header (rel=next) names the next part (?part=2 ...).",
)
@needs("jinbao.sheet")
def day(request, town: str, day: str, response: HttpResponse, part: str = Query("", max_length=5)):
    _town, _on, found = services.jinbao_day_open(
        viewer=request.user,
        town_code=town[:12],
        day=day[:10],
        part=part,
        what="api",
        context=request_context(request),
    )
    response["X-Total-Count"] = str(found.total)
    response["X-Parts"] = str(found.parts)
    if found.part < found.parts:
        response["Link"] = f'<{request.path}?part={found.part + 1}>; rel="next"'
    return found.sheets


@router.post(
    "/jinbao/sheets/{number}/entry",
    response={201: EntryOut, 200: EntryOut},
    summary="录入金保: record who entered the case into 金保 and the business number it gave",
    description="Bad input is answered 400 with message_zh and message_en; another number for an entered "
    "case, or a number another case holds, 409. The same number again is 200 (a resend is safe).",
)
@needs("jinbao.enter")
def enter(request, number: str, payload: EntryIn):
    entry, created = services.case_jinbao_enter_once(
        actor=request.user, number=number[:20], business_number=payload.business_number
    )
    return Status(201 if created else 200, entry)
