"""`GET /api/v1/job-service-reach`: the 15-minute job-service circle of the caller's towns, and where
new 零工驿站 would bring the most people within it (village figures, no personal data)."""

from ninja import Field, Query, Router, Schema

from linju.access.guards import needs
from linju.accounts.auth import staff_auth

from . import selectors

router = Router(tags=["planning"], auth=staff_auth)


class ReachQuery(Schema):
    town: str | None = Field(
        None,
        max_length=12,
        pattern=r"^\d{12}$",
        description="One town's 12-digit code (else every town served).",
    )
    count: int | None = Field(
        None,
        ge=1,
        le=selectors.MAX_NEW_STATIONS,
        description="Propose where this many new 零工驿站 would reach the most people (omit: no proposal).",
    )


class TownReachOut(Schema):
    code: str = Field(..., description="The town's code (empty for the total).")
    name: str
    villages: int
    people: int
    reached: int = Field(
        ..., description="People within 15 minutes of a job service, markets on market days."
    )
    every_day: int = Field(..., description="People within 15 minutes of one open every day.")
    share: float | None = Field(..., description="reached ÷ people, per cent (null when no people).")
    share_every_day: float | None


class VillageOut(Schema):
    name: str
    people: int


class SiteOut(Schema):
    kind: str = Field(..., description="village, market (a market place) or point (a station or hall).")
    code: str
    name: str
    town: str
    people: int = Field(..., description="People newly within 15 minutes through this place.")
    villages: list[VillageOut]


class ProposalOut(Schema):
    count: int
    newly: int = Field(..., description="People newly within 15 minutes of a job service.")
    share_before: float | None
    share_after: float | None
    best: bool = Field(..., description="No other choice of `count` places reaches more people.")
    gap: float = Field(..., description="Else: at most this many per cent fewer than the best.")
    sites: list[SiteOut]


class ReachOut(Schema):
    minutes: int
    synthetic: bool = Field(..., description="Travel times or populations are demo values.")
    places: dict[str, int] = Field(
        ...,
        description="Job-service places by kind, and `market`: market places with a booth on market days.",
    )
    total: TownReachOut
    towns: list[TownReachOut]
    proposal: ProposalOut | None


def _town(t: selectors.TownReach) -> dict:
    return {
        "code": t.code,
        "name": t.name,
        "villages": t.villages,
        "people": t.people,
        "reached": t.reached,
        "every_day": t.every_day,
        "share": t.share,
        "share_every_day": t.share_every_day,
    }


@router.get(
    "/job-service-reach",
    response=ReachOut,
    summary="The 15-minute job-service circle of the towns served, and where new gig stations would reach most",
    description="A job service: a 零工市场, 零工驿站 or 家门口就业服务站, or a market place with the "
    "bureau's booth on its market days. A count or code out of bounds is answered 422, a town not "
    "served 400, both with `message_zh` and `message_en`.",
)
@needs("figures.read")
def job_service_reach(request, query: Query[ReachQuery]):
    reach = selectors.job_service_reach(viewer=request.user, town_code=query.town)
    proposal = None
    if query.count:
        p = selectors.job_station_proposal(
            viewer=request.user, count=query.count, town_code=query.town, area=reach.area
        )
        proposal = {
            "count": p.count,
            "newly": p.newly,
            "share_before": p.share_before,
            "share_after": p.share_after,
            "best": p.best,
            "gap": p.gap,
            "sites": [
                {
                    "kind": s.site.kind,
                    "code": s.site.code,
                    "name": s.site.name,
                    "town": s.site.town,
                    "people": s.people,
                    "villages": [{"name": name, "people": people} for name, people in s.villages],
                }
                for s in p.sites
            ],
        }
    return {
        "minutes": selectors.JOB_SERVICE_MINUTES,
        "synthetic": reach.synthetic,
        "places": reach.places,
        "total": _town(reach.total),
        "towns": [_town(t) for t in reach.towns],
        "proposal": proposal,
    }
