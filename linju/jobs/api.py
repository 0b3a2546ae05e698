import datetime

from ninja import Router, Schema, Status

from linju.access.guards import needs, public
from linju.accounts.auth import staff_auth

from . import selectors, services

router = Router(tags=["jobs"], auth=staff_auth)


class SeekerIn(Schema):
    resident_id: int
    education: int
    skills: list[str] = []
    max_commute_minutes: int
    shifts: list[str]
    wage_wanted: int
    accepts_heavy_manual: bool = False
    wants_training: bool = False
    experience_years: int = 0
    constraints: str = ""


class SeekerOut(Schema):
    id: int
    name: str
    village: str
    education: int
    skills: list[str]
    max_commute_minutes: int
    shifts: list[str]
    accepts_heavy_manual: bool
    wants_training: bool
    wage_wanted: int
    constraints: str
    status: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.resident.name

    @staticmethod
    def resolve_village(obj) -> str:
        return f"{obj.resident.village.town.name}{obj.resident.village.name}"


class VacancyIn(Schema):
    employer_id: int
    title: str
    occupation_group: str
    skills: list[str] = []
    min_education: int = 0
    wage_min: int
    wage_max: int
    shifts: list[str]
    headcount: int = 1
    heavy_manual: bool = False
    training_offered: bool = False
    min_age: int = 16
    max_age: int | None = None
    requirements: str = ""
    gender: str = ""
    ethnicity: str = ""


class VacancyOut(Schema):
    id: int
    employer: str
    town: str
    park: str
    title: str
    occupation_group: str
    skills: list[str]
    min_education: int
    wage_min: int
    wage_max: int
    shifts: list[str]
    headcount: int
    heavy_manual: bool
    training_offered: bool
    dormitory: bool
    status: str
    opened_on: datetime.date

    @staticmethod
    def resolve_employer(obj) -> str:
        return obj.employer.name

    @staticmethod
    def resolve_town(obj) -> str:
        return obj.employer.village.town.name

    @staticmethod
    def resolve_park(obj) -> str:
        return obj.employer.park

    @staticmethod
    def resolve_dormitory(obj) -> bool:
        return obj.employer.dormitory


class MatchOut(Schema):
    seeker_id: int
    vacancy_id: int
    score: int
    commute_minutes: int
    explanation: str

    @staticmethod
    def resolve_seeker_id(obj) -> int:
        return obj.seeker.pk

    @staticmethod
    def resolve_vacancy_id(obj) -> int:
        return obj.vacancy.pk

    @staticmethod
    def resolve_commute_minutes(obj) -> int:
        return obj.minutes


class ReferralIn(Schema):
    seeker_id: int
    vacancy_id: int
    note: str = ""


class StepIn(Schema):
    status: str
    reason: str = ""


class ReferralOut(Schema):
    id: int
    seeker_id: int
    vacancy_id: int
    status: str
    reason: str
    follow_up_on: datetime.date | None
    explanation: str
    next_steps: list[str]  # what the referral may become now, by the one table (and the viewer's role)

    @staticmethod
    def resolve_next_steps(obj, context) -> list[str]:
        request = (context or {}).get("request")
        return services.referral_next_steps(obj, getattr(request, "user", None))


class UnfilledOut(Schema):
    vacancy_id: int
    title: str
    employer: str
    days_open: int
    main_reason: str
    seekers_excluded: int

    @staticmethod
    def resolve_vacancy_id(obj) -> int:
        return obj.vacancy.pk

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.vacancy.title

    @staticmethod
    def resolve_employer(obj) -> str:
        return obj.vacancy.employer.name

    @staticmethod
    def resolve_seekers_excluded(obj) -> int:
        return obj.excluded


@router.get(
    "/jobs/vacancies",
    response=list[VacancyOut],
    auth=None,
    summary="Open vacancies (public; no personal data)",
)
@public
def list_vacancies(request, town: str | None = None):
    return list(selectors.vacancy_list_public(town_code=town))


@router.post(
    "/jobs/vacancies",
    response={201: VacancyOut},
    summary="Post a vacancy (sex or ethnicity requirements are refused)",
)
@needs("jobs.work")
def post_vacancy(request, payload: VacancyIn):
    return Status(201, services.vacancy_post(actor=request.user, **payload.dict()))


@router.get(
    "/jobs/vacancies/{vacancy_id}/matches",
    response=list[MatchOut],
    summary="The best job seekers for a vacancy",
)
@needs("jobs.work")
def vacancy_matches(request, vacancy_id: int, k: int = 10):
    return selectors.matches_for_vacancy(viewer=request.user, vacancy_id=vacancy_id, k=max(1, min(k, 50)))


@router.get("/jobs/seekers", response=list[SeekerOut])
@needs("jobs.work")
def list_seekers(request, status: str | None = "seeking"):
    return list(selectors.seeker_list(viewer=request.user, status=status or None))


@router.post("/jobs/seekers", response={201: SeekerOut})
@needs("jobs.work")
def register_seeker(request, payload: SeekerIn):
    return Status(201, services.seeker_register(actor=request.user, **payload.dict()))


@router.get("/jobs/seekers/{seeker_id}", response=SeekerOut)
@needs("jobs.work")
def get_seeker(request, seeker_id: int):
    return selectors.seeker_get_for_viewer(viewer=request.user, seeker_id=seeker_id)


@router.get(
    "/jobs/seekers/{seeker_id}/matches",
    response=list[MatchOut],
    summary="The best vacancies for a seeker, explained",
)
@needs("jobs.work")
def seeker_matches(request, seeker_id: int, k: int = 10):
    return selectors.matches_for_seeker(viewer=request.user, seeker_id=seeker_id, k=max(1, min(k, 50)))


@router.get("/jobs/referrals", response=list[ReferralOut])
@needs("jobs.work")
def list_referrals(request, status: str | None = None):
    return list(selectors.referral_list(viewer=request.user, status=status))


@router.post("/jobs/referrals", response={201: ReferralOut})
@needs("jobs.work")
def refer(request, payload: ReferralIn):
    return Status(201, services.referral_create(actor=request.user, **payload.dict()))


@router.post(
    "/jobs/referrals/{referral_id}/steps",
    response=ReferralOut,
    summary="interview, hired, not_hired (with a reason), declined",
)
@needs("jobs.work")
def referral_step(request, referral_id: int, payload: StepIn):
    return services.referral_step(
        actor=request.user, referral_id=referral_id, status=payload.status, reason=payload.reason
    )


@router.get(
    "/jobs/unfilled",
    response=list[UnfilledOut],
    summary="Vacancies open 30 days or more and why seekers do not fit",
)
@needs("figures.read")
def unfilled(request):
    return selectors.unfilled_demand(viewer=request.user)
