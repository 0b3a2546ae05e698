"""Writes for jobs: seekers, vacancies (refusing discrimination), referrals and their steps."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import refused, require
from linju.catalog.selectors import station_for
from linju.core.errors import Conflict, DomainError, ErrorCollector, NotFound
from linju.notify.models import OutboxMessage
from linju.notify.sms import can_receive_texts, send_sms
from linju.people.selectors import resident_get_for_viewer

from .models import Employer, JobSeeker, Referral, ReferralStep, Vacancy
from .selectors import _commute_of, employers_for_viewer, explain, seeker_get_for_viewer
from .vocabulary import OCCUPATION_GROUPS, SKILLS, Education, Shift

if TYPE_CHECKING:
    from linju.accounts.models import User

LEGAL_MIN_AGE = 16  # 《劳动法》第十五条:禁止用人单位招用未满十六周岁的未成年人
MAX_AGE_LIMIT = 70
FOLLOW_UP_DAYS = 7
# 《就业促进法》第三条、第二十七条、第二十八条: no requirement of sex or ethnicity.
DISCRIMINATORY = re.compile(
    r"(限男|限女|仅限男|仅限女|只招男|只招女|男性|女性|男士|女士|男工|女工|男生|女生|性别|汉族|少数民族|民族|族人|"
    r"\bmale\b|\bfemale\b|\bmen only\b|\bwomen only\b|gender|ethnic)",
    re.IGNORECASE,
)


def _check_lists(values: list[str], allowed, field: str, message) -> list[str]:
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise DomainError(message, params={"values": "、".join(map(str, unknown))}, field=field)
    return list(dict.fromkeys(values))


# not durable: the spreadsheet import registers each row inside its own transaction (both or neither)
def seeker_register(
    *,
    actor: User,
    resident_id: int,
    education: int,
    skills: list[str],
    max_commute_minutes: int,
    shifts: list[str],
    wage_wanted: int,
    accepts_heavy_manual: bool = False,
    wants_training: bool = False,
    experience_years: int = 0,
    constraints: str = "",
) -> JobSeeker:
    require(actor, "jobs.work")
    checks = ErrorCollector()
    resident = checks.check(resident_get_for_viewer, viewer=actor, resident_id=resident_id)
    if education not in dict(Education.CHOICES):
        checks.errors.append(DomainError(_("Choose an education level from the list."), field="education"))
    checks.check(_check_lists, skills, SKILLS, "skills", _("Unknown skills: %(values)s."))
    checks.check(_check_lists, shifts, Shift.BIT, "shifts", _("Unknown shifts: %(values)s."))
    if not shifts:
        checks.errors.append(DomainError(_("Choose at least one shift."), field="shifts"))
    if not 5 <= max_commute_minutes <= 240:
        checks.errors.append(
            DomainError(_("The commute limit is between 5 and 240 minutes."), field="max_commute_minutes")
        )
    if not 0 < wage_wanted <= 100000:
        checks.errors.append(DomainError(_("Enter the wanted monthly wage in yuan."), field="wage_wanted"))
    checks.raise_if_any()
    try:
        with transaction.atomic():
            return JobSeeker.objects.create(
                bureau_id=resident.bureau_id,
                resident=resident,
                education=education,
                skills=list(dict.fromkeys(skills)),
                experience_years=experience_years,
                max_commute_minutes=max_commute_minutes,
                shifts=list(dict.fromkeys(shifts)),
                accepts_heavy_manual=accepts_heavy_manual,
                wants_training=wants_training,
                wage_wanted=wage_wanted,
                constraints=constraints.strip()[:2000],
            )
    except IntegrityError:
        existing = JobSeeker.objects.filter(resident=resident).values_list("pk", flat=True).first()
        raise Conflict(
            _("This resident is already registered as a job seeker (record %(seeker)s)."),
            params={"seeker": existing},
            code="seeker_exists",
        ) from None


# not durable: the loaders (the spreadsheet import, the demo) post each vacancy inside their transaction
def vacancy_post(
    *,
    actor: User | None,
    employer_id: int,
    title: str,
    occupation_group: str,
    skills: list[str],
    min_education: int,
    wage_min: int,
    wage_max: int,
    shifts: list[str],
    headcount: int = 1,
    heavy_manual: bool = False,
    training_offered: bool = False,
    min_age: int = LEGAL_MIN_AGE,
    max_age: int | None = None,
    requirements: str = "",
    opened_on: datetime.date | None = None,
    gender: str = "",
    ethnicity: str = "",
) -> Vacancy:
    """A vacancy. One that asks for a sex or an ethnicity is refused, with the law that forbids it."""
    if actor is not None:  # None: the loaders
        require(actor, "jobs.work")
    checks = ErrorCollector()
    employers = Employer.objects.all() if actor is None else employers_for_viewer(actor)  # None: the loaders
    employer = employers.filter(pk=employer_id).first()
    if employer is None:
        checks.errors.append(NotFound(_("No such employer."), field="employer_id"))
    if gender or ethnicity or DISCRIMINATORY.search(f"{title} {requirements}"):
        checks.errors.append(
            DomainError(
                _(
                    "A vacancy may not ask for a sex or an ethnicity: the Employment Promotion Law (就业促进法, articles 3, 27 and 28) forbids it. Describe the work and the skills instead."
                ),
                field="requirements",
                code="discriminatory",
            )
        )
    if min_age < LEGAL_MIN_AGE:
        checks.errors.append(
            DomainError(
                _("Nobody under 16 may be employed (Labour Law, article 15)."),
                field="min_age",
                code="under_age",
            )
        )
    if max_age is not None and not min_age <= max_age <= MAX_AGE_LIMIT:
        checks.errors.append(
            DomainError(_("The maximum age must be between the minimum age and 70."), field="max_age")
        )
    if occupation_group not in OCCUPATION_GROUPS:
        checks.errors.append(
            DomainError(_("Choose an occupation group from the list."), field="occupation_group")
        )
    checks.check(_check_lists, skills, SKILLS, "skills", _("Unknown skills: %(values)s."))
    checks.check(_check_lists, shifts, Shift.BIT, "shifts", _("Unknown shifts: %(values)s."))
    if not shifts:
        checks.errors.append(DomainError(_("Choose at least one shift."), field="shifts"))
    if not 0 < wage_min <= wage_max:
        checks.errors.append(
            DomainError(_("The wage range must go from a lower to a higher amount."), field="wage_max")
        )
    if headcount < 1:
        checks.errors.append(DomainError(_("At least one person is needed."), field="headcount"))
    if not title.strip():
        checks.errors.append(DomainError(_("Give the job a title."), field="title"))
    checks.raise_if_any()
    return Vacancy.objects.create(
        employer=employer,
        title=title.strip(),
        occupation_group=occupation_group,
        skills=list(dict.fromkeys(skills)),
        min_education=min_education,
        wage_min=wage_min,
        wage_max=wage_max,
        shifts=list(dict.fromkeys(shifts)),
        headcount=headcount,
        heavy_manual=heavy_manual,
        training_offered=training_offered,
        min_age=min_age,
        max_age=max_age,
        requirements=requirements.strip(),
        opened_on=opened_on or timezone.localdate(),
    )


def referral_create(
    *, actor: User, seeker_id: int, vacancy_id: int, note: str = "", today: datetime.date | None = None
) -> Referral:
    """Refer a seeker to an open vacancy, in a durable transaction of its own: the referral, its
    first step and the seeker's status, the seeker's text queued on its commit."""
    return _referral_create(actor, seeker_id, vacancy_id, note, today, durable=True)


def referral_create_within(
    *, actor: User, seeker_id: int, vacancy_id: int, note: str = "", today: datetime.date | None = None
) -> Referral:
    """`referral_create` for a service that already holds the transaction (the demo loader): the
    caller owns durability, and the text is queued on the caller's commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "referral_create_within runs inside its caller's transaction: call referral_create."
        )
    return _referral_create(actor, seeker_id, vacancy_id, note, today, durable=False)


def _referral_create(
    actor: User, seeker_id: int, vacancy_id: int, note: str, today: datetime.date | None, *, durable: bool
) -> Referral:
    require(actor, "jobs.work")
    today = today or timezone.localdate()
    seeker = seeker_get_for_viewer(viewer=actor, seeker_id=seeker_id)
    vacancy = (
        Vacancy.objects.select_related("employer__village__town")
        .filter(pk=vacancy_id, status=Vacancy.Status.OPEN, employer__in=employers_for_viewer(actor))
        .first()
    )
    if vacancy is None:
        raise NotFound(_("No such open vacancy."), field="vacancy_id")
    if seeker.status == JobSeeker.Status.EMPLOYED:
        raise Conflict(_("This person already has a job."), code="seeker_employed")
    minutes, mode = _commute_of(seeker, vacancy)
    try:
        with transaction.atomic(durable=durable):
            referral = Referral.objects.create(
                bureau_id=seeker.bureau_id,
                seeker=seeker,
                vacancy=vacancy,
                referred_by=actor,
                follow_up_on=today + datetime.timedelta(days=FOLLOW_UP_DAYS),
                explanation=explain(seeker, vacancy, minutes, mode)[:300],
            )
            ReferralStep.objects.create(
                bureau_id=referral.bureau_id,
                referral=referral,
                status=referral.status,
                actor=actor,
                note=note[:300],
            )
            if seeker.status == JobSeeker.Status.SEEKING:
                seeker.status = JobSeeker.Status.REFERRED
                seeker.save(update_fields=["status", "updated_at"])
            _text_referral(referral, seeker, vacancy)  # queued inside: sent on commit, never on rollback
    except IntegrityError:
        raise Conflict(
            _("This person has already been referred to this vacancy."), code="already_referred"
        ) from None
    return referral


def referral_text_params(seeker: JobSeeker, vacancy: Vacancy) -> dict[str, str]:
    """The variables of a referred seeker's text, in Chinese: what the job is, where, whom to ask."""
    employer = vacancy.employer
    station = station_for(seeker.resident.village.town)
    where = f"{employer.village.town.name}{employer.village.name}" + (
        f"({employer.park})" if employer.park else ""
    )
    with translation.override("zh-hans"):
        ask = (
            str(
                _("call %(employer)s on %(phone)s")
                % {"employer": employer.name, "phone": employer.contact_phone}
            )
            if employer.contact_phone
            else str(_("go to %(employer)s") % {"employer": employer.name})
        )
    return {
        "name": seeker.resident.name,
        "title": vacancy.title,
        "employer": employer.name,
        "low": str(vacancy.wage_min),
        "high": str(vacancy.wage_max),
        "where": where,
        "ask": ask,
        "questions": f"{station.name} {station.phone}".strip()
        if station
        else seeker.resident.village.town.name,
    }


def referral_text(params: dict[str, str]) -> str:
    """The text a referred seeker gets, in Chinese, from its variables (`referral_text_params`)."""
    with translation.override("zh-hans"):
        return str(
            _(
                "[Linju] %(name)s, you have been recommended for the job %(title)s at %(employer)s, "
                "%(low)d–%(high)d yuan a month. Where: %(where)s. To apply, %(ask)s. "
                "Questions: %(questions)s."
            )
        ) % (params | {"low": int(params["low"]), "high": int(params["high"])})


def _text_referral(referral: Referral, seeker: JobSeeker, vacancy: Vacancy) -> None:
    """Queue the seeker's text for after the commit: once per referral (its outbox claim)."""
    phone = seeker.resident.phone
    if not can_receive_texts(phone):
        return
    params = referral_text_params(seeker, vacancy)
    text = referral_text(params)
    bureau_id, reference = referral.bureau_id, f"referral:{referral.pk}"
    transaction.on_commit(
        lambda: send_sms(
            bureau_id=bureau_id,
            phone=phone,
            text=text,
            purpose="referral",
            reference=reference,
            params=params,
        ),
        robust=True,
    )


# the one table of referral steps: from each status, the statuses it may become, in the order offered
REFERRAL_STEPS: dict[str, tuple[str, ...]] = {
    Referral.Status.RECOMMENDED: (
        Referral.Status.INTERVIEW,
        Referral.Status.NOT_HIRED,
        Referral.Status.DECLINED,
    ),
    Referral.Status.INTERVIEW: (Referral.Status.HIRED, Referral.Status.NOT_HIRED, Referral.Status.DECLINED),
}


def step_refusal(referral: Referral, status: str, actor: User | None = None) -> DomainError | None:
    """Why the referral cannot take this step, or None when it can. The one guard: what the
    referrals page and the API offer (`referral_next_steps`) and what `referral_step` accepts.
    Given an actor, their role first; a step that is no status is a wrong input (400), a status the
    table does not lead to from here a 409, both in words."""
    if actor is not None and (refusal := refused(actor, "jobs.work")) is not None:
        return refusal
    if status not in Referral.Status.values:
        return DomainError(
            _("“%(step)s” is not a step of a referral: interview, hired, not hired or declined."),
            params={"step": str(status)[:20]},
            code="unknown_step",
            field="status",
        )
    if status not in REFERRAL_STEPS.get(referral.status, ()):
        return Conflict(
            _("A referral that is “%(from)s” cannot become “%(to)s”."),
            params={"from": Referral.Status(referral.status).label, "to": Referral.Status(status).label},
            code="step_not_allowed",
        )
    return None


def referral_next_steps(referral: Referral, actor: User | None = None) -> list[Referral.Status]:
    """The steps `step_refusal` lets this referral take (and the actor make, given one), each with
    its label."""
    return [status for status in Referral.Status if step_refusal(referral, status, actor) is None]


def referral_step(
    *, actor: User, referral_id: int, status: str, reason: str = "", today: datetime.date | None = None
) -> Referral:
    """recommended → interview → hired / not hired (with a reason) / declined by the seeker, by the
    one table; the referral is locked, so two people stepping it at once step it once. A durable
    transaction of its own."""
    return _referral_step(actor, referral_id, status, reason, today, durable=True)


def referral_step_within(
    *, actor: User, referral_id: int, status: str, reason: str = "", today: datetime.date | None = None
) -> Referral:
    """`referral_step` for a service that already holds the transaction (the demo loader): a
    savepoint in it; the caller owns durability."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("referral_step_within runs inside its caller's transaction: call referral_step.")
    return _referral_step(actor, referral_id, status, reason, today, durable=False)


def _referral_step(
    actor: User, referral_id: int, status: str, reason: str, today: datetime.date | None, *, durable: bool
) -> Referral:
    require(actor, "jobs.work")
    today = today or timezone.localdate()
    with transaction.atomic(durable=durable):
        referral = Referral.objects.select_for_update().visible_to(actor).filter(pk=referral_id).first()
        if referral is None:
            raise NotFound(_("No such referral."))
        refusal = step_refusal(referral, status, actor)
        if refusal is not None:
            raise refusal
        if status == Referral.Status.NOT_HIRED and not reason.strip():
            raise DomainError(_("Say why the person was not hired."), field="reason")
        referral.status, referral.reason = status, reason.strip()[:300]
        referral.follow_up_on = (
            None
            if status in (Referral.Status.HIRED, Referral.Status.NOT_HIRED, Referral.Status.DECLINED)
            else today + datetime.timedelta(days=FOLLOW_UP_DAYS)
        )
        referral.save(update_fields=["status", "reason", "follow_up_on", "updated_at"])
        ReferralStep.objects.create(
            bureau_id=referral.bureau_id, referral=referral, status=status, actor=actor, note=reason[:300]
        )
        seeker = JobSeeker.objects.select_for_update().get(pk=referral.seeker_id)
        if status == Referral.Status.HIRED:
            seeker.status = JobSeeker.Status.EMPLOYED  # leaves the seeking list
            seeker.save(update_fields=["status", "updated_at"])
            vacancy = Vacancy.objects.select_for_update().get(pk=referral.vacancy_id)
            if vacancy.referrals.filter(status=Referral.Status.HIRED).count() >= vacancy.headcount:
                vacancy.status = Vacancy.Status.FILLED
                vacancy.save(update_fields=["status", "updated_at"])
        elif (
            seeker.status == JobSeeker.Status.REFERRED
            and not seeker.referrals.filter(
                status__in=[Referral.Status.RECOMMENDED, Referral.Status.INTERVIEW]
            ).exists()
        ):
            seeker.status = JobSeeker.Status.SEEKING
            seeker.save(update_fields=["status", "updated_at"])
    return referral


def referral_follow_up_reminders(*, today: datetime.date | None = None) -> int:
    """Text each referrer the open referrals whose follow-up day has come; once a day each. No
    transaction: a periodic job that writes only texts, each claimed in the outbox by itself."""
    today = today or timezone.localdate()
    due = Referral.objects.filter(
        status__in=[Referral.Status.RECOMMENDED, Referral.Status.INTERVIEW], follow_up_on__lte=today
    ).select_related("referred_by", "seeker__resident")
    by_user: dict = {}
    for referral in due:
        by_user.setdefault(referral.referred_by, []).append(referral)
    sent = 0
    for user, referrals in by_user.items():
        reference = f"referrals:{today.isoformat()}:{user.pk}"
        if (
            not user.mobile
            or OutboxMessage.objects.filter(purpose="referral_follow_up", reference=reference).exists()
        ):
            continue
        with translation.override("zh-hans"):
            values = {
                "count": len(referrals),
                "names": "、".join(r.seeker.resident.name for r in referrals[:5]),
            }
            text = str(_("[Linju] %(count)d referrals to follow up today: %(names)s")) % values
        if send_sms(
            bureau_id=referrals[0].bureau_id,
            phone=user.mobile,
            text=text,
            purpose="referral_follow_up",
            reference=reference,
            params=values,
        ):  # None: claimed already by a retry or another scheduler
            sent += 1
    return sent
