"""The API after the gig: a dispatch recorded done with the pay received, the wage guide and the
gigs below it, and the workers to help (帮扶). Its own router, beside the gigs' (api.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Path, Query, Router, Schema

from linju.access.guards import needs
from linju.accounts.auth import staff_auth
from linju.core.periods import parse_year
from linju.core.request_context import request_context

from .help_selectors import help_list, help_list_seen
from .pay_selectors import dispatch_for_viewer
from .services.pay import record_done
from .wage_guide import gigs_below_guide, guide_table

router = Router(tags=["gigs"], auth=staff_auth)


class DoneIn(Schema):
    paid: str = Field(..., max_length=6, description="full, short or unpaid")
    amount: Decimal | None = Field(None, ge=0, le=Decimal("9999999.99"), decimal_places=2)


class DoneOut(Schema):
    dispatch_id: int
    status: str
    done_on: datetime.date
    paid: str
    paid_amount: Decimal | None
    inspection_case: str | None = None
    changed: bool


@router.post(
    "/dispatches/{dispatch_id}/done",
    response=DoneOut,
    summary="Record a gig done and the pay received (short or none opens a labour inspection request)",
)
@needs("gig.pay")
def dispatch_done(request, payload: DoneIn, dispatch_id: int = Path(..., ge=1, le=2**63 - 1)):
    dispatch = dispatch_for_viewer(viewer=request.user, dispatch_id=dispatch_id)
    done = record_done(request.user, dispatch, payload.paid, payload.amount)
    d = done.dispatch
    return {
        "dispatch_id": d.pk,
        "status": d.status,
        "done_on": d.done_on,
        "paid": d.paid,
        "paid_amount": d.paid_amount,
        "inspection_case": d.inspection_case.number if d.inspection_case_id else None,
        "changed": done.changed,
    }


class GuidePriceOut(Schema):
    work_type: str
    work_type_code: str
    unit: str
    low: Decimal
    middle: Decimal
    high: Decimal


class GuideFilter(Schema):
    year: str = Field("", max_length=4)


@router.get("/wage-guide", response=list[GuidePriceOut], summary="The bureau's wage guide of a year")
@needs("gig.wage_guide")
def wage_guide(request, filters: Query[GuideFilter]):
    year = parse_year(filters.year)
    return [
        {
            "work_type": p.work_type.name,
            "work_type_code": p.work_type.code,
            "unit": p.unit,
            "low": p.low,
            "middle": p.middle,
            "high": p.high,
        }
        for p in guide_table(viewer=request.user, year=year)
    ]


class BelowOut(Schema):
    gig_id: int
    title: str
    town: str
    village: str
    starts_on: datetime.date
    employer: str
    pay: Decimal
    unit: str
    guide_year: int
    guide_low: Decimal
    guide_middle: Decimal
    guide_high: Decimal
    converted: bool


@router.get(
    "/wage-guide/below", response=list[BelowOut], summary="Gigs of your towns paying below the wage guide"
)
@needs("gig.wage_guide")
def gigs_below(request):
    return [
        {
            "gig_id": gig.pk,
            "title": gig.title,
            "town": gig.town.name,
            "village": gig.village.name,
            "starts_on": gig.starts_on,
            "employer": gig.employer_name,
            "pay": note.pay,
            "unit": note.unit,
            "guide_year": note.year,
            "guide_low": note.low,
            "guide_middle": note.middle,
            "guide_high": note.high,
            "converted": note.converted,
        }
        for gig, note in gigs_below_guide(viewer=request.user)
    ]


class HelpFilter(Schema):
    village: str = Field("", max_length=12)


class WorkOut(Schema):
    id: int
    title: str


class HelpWorkerOut(Schema):
    worker_id: int
    name: str
    id_number: str
    phone: str
    age: int
    idle_days: int
    hardship: bool
    gigs: list[WorkOut]
    vacancies: list[WorkOut]


class HelpVillageOut(Schema):
    code: str
    name: str
    town: str
    count: int


class HelpOut(Schema):
    idle_days: int
    villages: list[HelpVillageOut]
    village: str | None
    workers: list[HelpWorkerOut]


@router.get(
    "/gig-help", response=HelpOut, summary="Gig workers to help, per village (ID numbers masked; recorded)"
)
@needs("gig.help")
def gig_help(request, filters: Query[HelpFilter]):
    listing = help_list(viewer=request.user, village_code=filters.village)
    help_list_seen(viewer=request.user, listing=listing, context=request_context(request))
    shown = listing.shown
    return {
        "idle_days": listing.idle_days,
        "villages": [
            {"code": v.code, "name": v.name, "town": v.town, "count": v.count} for v in listing.villages
        ],
        "village": shown.code if shown else None,
        "workers": [
            {
                "worker_id": row.worker.pk,
                "name": row.name,
                "id_number": row.id_number,
                "phone": row.phone,
                "age": row.age,
                "idle_days": row.idle_days,
                "hardship": row.hardship,
                "gigs": [{"id": g.pk, "title": g.title} for g in row.gigs],
                "vacancies": [{"id": v.pk, "title": f"{v.title} · {v.employer.name}"} for v in row.vacancies],
            }
            for row in (shown.rows if shown else [])
        ],
    }
