from ninja import Field, Router, Schema

from linju.access.guards import public

from . import services

router = Router(tags=["eligibility"])


MONTHS = Field(None, ge=0, le=1200)  # a century: more is not a life's record
YUAN = Field(None, ge=0, le=100_000_000)


class CheckIn(Schema):
    """Every answer optional; every number bounded (a bad one is a 422 in plain words, never a 500)."""

    age: int | None = Field(None, ge=0, le=130)
    employment_status: str | None = Field(None, max_length=20)
    job_loss_cause: str | None = Field(None, max_length=20)
    months_since_job_loss: int | None = MONTHS
    registered_unemployed: bool | None = None
    unemployment_insured: bool | None = None
    unemployment_contribution_months: int | None = MONTHS
    pension_insured: bool | None = None
    pension_contribution_months: int | None = MONTHS
    medical_insured: bool | None = None
    receives_pension: bool | None = None
    disability_level: int | None = Field(None, ge=0, le=4)
    household_size: int | None = Field(None, ge=1, le=50)
    income_per_capita: int | None = YUAN
    medical_expenses_12m: int | None = YUAN
    subsistence_allowance: bool | None = None
    hardship_recently: bool | None = None


class StepOut(Schema):
    """Something to do first: its words, the item that does it (ask `/where` for its places) or
    where it is taken, in words."""

    text: str
    item_code: str
    item: str = Field(..., alias="item_name")
    where: str


class AnswerOut(Schema):
    item_code: str
    item: str
    eligible: bool | None = Field(..., description="once the steps are taken, when there are any")
    reasons: list[str]
    not_met: list[str]
    to_confirm: list[str]
    steps: list[StepOut]
    steps_sentence: str = Field(
        ..., description="您可以:先办失业登记,再办理失业保险金申领。 (empty: nothing first)"
    )
    bring: list[str]

    @staticmethod
    def resolve_item_code(obj) -> str:
        return obj.item.code

    @staticmethod
    def resolve_item(obj) -> str:
        return obj.item.name

    @staticmethod
    def resolve_reasons(obj) -> list[str]:
        return obj.met

    @staticmethod
    def resolve_to_confirm(obj) -> list[str]:
        return obj.unknown

    @staticmethod
    def resolve_bring(obj) -> list[str]:
        return [m.name for m in obj.item.materials.all()]


@router.post(
    "/eligibility/check",
    response=list[AnswerOut],
    summary="What may I apply for? (public, nothing is stored)",
)
@public
def check(request, payload: CheckIn):
    return services.self_check(answers={k: v for k, v in payload.dict().items() if v is not None})
