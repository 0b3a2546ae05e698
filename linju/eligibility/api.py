from ninja import Router, Schema

from . import services

router = Router(tags=["eligibility"])


class CheckIn(Schema):
    age: int | None = None
    employment_status: str | None = None
    job_loss_cause: str | None = None
    months_since_job_loss: int | None = None
    registered_unemployed: bool | None = None
    unemployment_insured: bool | None = None
    unemployment_contribution_months: int | None = None
    pension_insured: bool | None = None
    pension_contribution_months: int | None = None
    medical_insured: bool | None = None
    receives_pension: bool | None = None
    disability_level: int | None = None
    household_size: int | None = None
    income_per_capita: int | None = None
    medical_expenses_12m: int | None = None
    subsistence_allowance: bool | None = None
    hardship_recently: bool | None = None


class AnswerOut(Schema):
    item_code: str
    item: str
    eligible: bool | None
    reasons: list[str]
    not_met: list[str]
    to_confirm: list[str]
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
def check(request, payload: CheckIn):
    return services.self_check(answers={k: v for k, v in payload.dict().items() if v is not None})
