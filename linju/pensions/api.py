"""`GET /api/v1/retirement-age`: the statutory retirement age and month under the law of 2024-09-13
(public, no key)."""

from ninja import Field, Query, Router, Schema

from linju.catalog.bundles import retirement_opens_months
from linju.core.declared import public

from .calculator import BIRTH_FIRST, BIRTH_LAST, applications_open, month_text, retirement_for

router = Router(tags=["retirement"])
MONTH = r"^\d{4}-\d{2}$"


class RetirementQuery(Schema):
    birth: str = Field(
        ...,
        max_length=20,
        description=f"Birth month, YYYY-MM, from {month_text(BIRTH_FIRST)} to {month_text(BIRTH_LAST)}.",
        examples=["1966-01"],
    )
    former_age: str = Field(
        ...,
        max_length=3,
        description="The former retirement age: 60 (men), 55 (women cadres and in managerial posts) "
        "or 50 (women workers).",
        examples=["60"],
    )
    town: str = Field(
        "",
        max_length=12,
        description="The resident's town, its 12-digit code (GET /api/v1/geo/towns): its bureau says "
        "from when one may apply (`applications_open_month`). Without it those fields are null.",
        examples=["500110113000"],
    )


class RetirementOut(Schema):
    age_years: int = Field(..., description="The statutory retirement age: whole years …")
    age_months: int = Field(..., ge=0, le=11, description="… and months (0–11).")
    month: str = Field(..., pattern=MONTH, description="The month it is reached, YYYY-MM.")
    min_contribution_years: float = Field(
        ...,
        description="The minimum contribution for a monthly pension in the year of `month`, in years: "
        "a JSON number, always a whole number of half years (15, 15.5, … 20); "
        "`min_contribution_months` says the same in whole months.",
        examples=[15.5],
    )
    min_contribution_months: int = Field(..., description="The same minimum in months (180–240).")
    delay_months: int = Field(..., description="Months the law adds to the former age (0 if none).")
    earliest_month: str = Field(
        ...,
        pattern=MONTH,
        description="弹性提前: the earliest month one may choose to retire, the minimum contribution "
        "met (up to three years early, never below the former age).",
    )
    latest_month: str = Field(
        ...,
        pattern=MONTH,
        description="弹性延迟: the latest month, with the employer's agreement (up to three years late).",
    )
    applications_open_months_before: int | None = Field(
        None,
        ge=0,
        le=12,
        description="How many months before `month` the town's bureau takes retirement applications "
        "(退休一件事), as intake applies it; null without a town or when the bureau sets no wait.",
    )
    applications_open_month: str | None = Field(
        None,
        pattern=MONTH,
        description="The month from which the town's bureau takes the application, YYYY-MM; null as above.",
    )


@router.get(
    "/retirement-age",
    response=RetirementOut,
    summary="The statutory retirement age and month of a birth month (law of 2024-09-13)",
    description="Bad input is answered 400 with `message_zh` and `message_en` and the field's errors.",
)
@public
def retirement_age(request, query: Query[RetirementQuery]):
    r, town = retirement_for(birth=query.birth, former_age=query.former_age, town=query.town)
    opens = applications_open(r, bureau_id=town.bureau_id) if town is not None else None
    return {
        "age_years": r.age_years,
        "age_months": r.age_months,
        "month": month_text(r.month),
        "min_contribution_years": float(r.min_contribution_years),
        "min_contribution_months": r.min_contribution,
        "delay_months": r.delay,
        "earliest_month": month_text(r.earliest_month),
        "latest_month": month_text(r.latest_month),
        "applications_open_months_before": (
            retirement_opens_months(bureau_id=town.bureau_id) if opens is not None else None
        ),
        "applications_open_month": month_text(opens) if opens is not None else None,
    }
