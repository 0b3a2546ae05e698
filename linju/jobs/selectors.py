"""Reads for jobs: matches with their explanations, referral lists, unfilled demand."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.roles import is_platform_admin
from linju.core.errors import NotFound
from linju.core.periods import age_on

from . import matching
from .employer_notes import notes_by_employer
from .models import Commute, Employer, JobSeeker, Referral, Vacancy
from .vocabulary import Education, Shift, shifts_mask, skill_names, skills_mask

if TYPE_CHECKING:
    from linju.accounts.models import User

UNFILLED_DAYS = 30


def _seekers_in_scope(viewer: User, status: str | None) -> QuerySet[JobSeeker]:
    """The seekers of the viewer's towns, for figures as well as for the people themselves."""
    seekers = JobSeeker.objects.visible_to(viewer)
    if status:
        seekers = seekers.filter(status=status)
    return seekers.select_related("resident__village__town").order_by("resident__name_initials", "id")


def seeker_list(*, viewer: User, status: str | None = JobSeeker.Status.SEEKING) -> QuerySet[JobSeeker]:
    """The job seekers themselves (names, constraints in their own words): staff's work, not a
    leader's, who reads the placement figures."""
    require(viewer, "jobs.work")
    return _seekers_in_scope(viewer, status)


def seeker_get_for_viewer(*, viewer: User, seeker_id: int) -> JobSeeker:
    seeker = seeker_list(viewer=viewer, status=None).filter(pk=seeker_id).first()
    if seeker is None:
        raise NotFound(_("No such job seeker."))
    return seeker


def seeker_of_resident(*, viewer: User, resident_id: int) -> JobSeeker | None:
    """The resident's job-seeker record, if the viewer may see it (any status)."""
    return seeker_list(viewer=viewer, status=None).filter(resident_id=resident_id).first()


def vacancy_list_public(*, town_code: str | None = None) -> QuerySet[Vacancy]:
    """Open vacancies, for everyone: no personal data in them."""
    vacancies = Vacancy.objects.filter(status=Vacancy.Status.OPEN).select_related("employer__village__town")
    if town_code:
        vacancies = vacancies.filter(employer__village__town__code=town_code)
    return vacancies.order_by("-opened_on", "id")


def vacancy_get(*, vacancy_id: int) -> Vacancy:
    vacancy = Vacancy.objects.select_related("employer__village__town").filter(pk=vacancy_id).first()
    if vacancy is None:
        raise NotFound(_("No such vacancy."))
    return vacancy


# Turning rows into the matching engine's arrays -----------------------------------------------


def _seeker_arrays(seekers: list[JobSeeker], village_index: dict[int, int]) -> matching.Seekers:
    today = timezone.localdate()
    return matching.Seekers(
        ids=np.array([s.pk for s in seekers], dtype=np.int64),
        education=np.array([s.education for s in seekers], dtype=np.int16),
        shifts=np.array([shifts_mask(s.shifts) for s in seekers], dtype=np.int16),
        heavy_ok=np.array([s.accepts_heavy_manual for s in seekers], dtype=bool),
        max_commute=np.array([s.max_commute_minutes for s in seekers], dtype=np.int16),
        skills=np.array([skills_mask(s.skills) for s in seekers], dtype=np.uint64),
        wage=np.array([s.wage_wanted for s in seekers], dtype=np.int32),
        wants_training=np.array([s.wants_training for s in seekers], dtype=bool),
        village=np.array([village_index[s.resident.village_id] for s in seekers], dtype=np.int32),
        age=np.array([age_on(s.resident.birth_date, today) for s in seekers], dtype=np.int16),
    )


def _vacancy_arrays(vacancies: list[Vacancy], employer_index: dict[int, int]) -> matching.Vacancies:
    return matching.Vacancies(
        ids=np.array([v.pk for v in vacancies], dtype=np.int64),
        min_education=np.array([v.min_education for v in vacancies], dtype=np.int16),
        shifts=np.array([shifts_mask(v.shifts) for v in vacancies], dtype=np.int16),
        heavy=np.array([v.heavy_manual for v in vacancies], dtype=bool),
        skills=np.array([skills_mask(v.skills) for v in vacancies], dtype=np.uint64),
        wage_max=np.array([v.wage_max for v in vacancies], dtype=np.int32),
        training=np.array([v.training_offered for v in vacancies], dtype=bool),
        employer=np.array([employer_index[v.employer_id] for v in vacancies], dtype=np.int32),
        headcount=np.array([max(v.headcount - v.hired, 0) for v in vacancies], dtype=np.int64),
        min_age=np.array([v.min_age for v in vacancies], dtype=np.int16),
        max_age=np.array(
            [matching.NO_MAX_AGE if v.max_age is None else v.max_age for v in vacancies], dtype=np.int16
        ),
    )


def _commute_matrix(village_ids: list[int], employer_ids: list[int]) -> np.ndarray:
    matrix = np.full((len(village_ids), max(len(employer_ids), 1)), matching.NO_ROUTE, dtype=np.int16)
    vi = {v: i for i, v in enumerate(village_ids)}
    ei = {e: i for i, e in enumerate(employer_ids)}
    for village_id, employer_id, minutes in Commute.objects.filter(
        village_id__in=village_ids, employer_id__in=employer_ids
    ).values_list("village_id", "employer_id", "minutes"):
        matrix[vi[village_id], ei[employer_id]] = min(minutes, matching.NO_ROUTE)
    return matrix


def employers_for_viewer(viewer: User | None) -> QuerySet[Employer]:
    """The employers of the viewer's bureau (all of them for a bureau-less administrator, none for
    anyone else without one): staff post, match and refer for their own bureau's employers only."""
    employers = Employer.objects.all()
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return employers.none()
    if is_platform_admin(viewer):
        return employers
    return employers.filter(village__town__bureau_id=viewer.bureau_id)


def _open_vacancies(viewer: User, *, within_reach_of: JobSeeker | None = None) -> list[Vacancy]:
    """The open vacancies of the viewer's bureau; for one seeker, only those whose workplace their
    village reaches within the minutes they accept (no route, no vacancy): a city's job board is
    read a village's reach at a time, not whole on every request."""
    vacancies = Vacancy.objects.filter(status=Vacancy.Status.OPEN, employer__in=employers_for_viewer(viewer))
    if within_reach_of is not None:
        vacancies = vacancies.filter(
            employer_id__in=Commute.objects.filter(
                village_id=within_reach_of.resident.village_id,
                minutes__lte=within_reach_of.max_commute_minutes,
            ).values("employer_id")
        )
    return list(
        vacancies.select_related("employer__village__town")
        .prefetch_related("employer__shuttle_towns")
        .annotate(hired=Count("referrals", filter=Q(referrals__status=Referral.Status.HIRED)))
        .order_by("id")
    )


@dataclass(frozen=True)
class Match:
    seeker: JobSeeker
    vacancy: Vacancy
    score: int
    minutes: int
    explanation: str


def _names(codes) -> str:
    return "、".join(skill_names(codes))


def explain(seeker: JobSeeker, vacancy: Vacancy, minutes: int, mode: str = "") -> str:
    """Why this pair, in plain Chinese (or English): commute, skills, wage, training, shuttle."""
    parts = [
        str(
            _("commute %(minutes)d minutes, within your %(limit)d")
            % {"minutes": minutes, "limit": seeker.max_commute_minutes}
        )
        + (str(_(" (company shuttle)")) if mode == "shuttle" else "")
    ]
    if vacancy.skills:
        have = [code for code in vacancy.skills if code in seeker.skills]
        lacking = [code for code in vacancy.skills if code not in seeker.skills]
        if not lacking:
            parts.append(str(_("you have the skills it asks for: %(have)s") % {"have": _names(have)}))
        elif have:
            parts.append(
                str(
                    _("it asks for %(need)s: you have %(have)s, not yet %(lacking)s")
                    % {"need": _names(vacancy.skills), "have": _names(have), "lacking": _names(lacking)}
                )
            )
        else:
            parts.append(
                str(_("it asks for %(need)s, which you do not have yet") % {"need": _names(lacking)})
            )
    if vacancy.wage_max >= seeker.wage_wanted:
        parts.append(
            str(
                _("wage %(low)d–%(high)d yuan meets your %(want)d")
                % {"low": vacancy.wage_min, "high": vacancy.wage_max, "want": seeker.wage_wanted}
            )
        )
    else:
        parts.append(
            str(
                _("wage up to %(high)d yuan, below your %(want)d")
                % {"high": vacancy.wage_max, "want": seeker.wage_wanted}
            )
        )
    if vacancy.training_offered and seeker.wants_training:
        parts.append(str(_("training offered")))
    if not vacancy.heavy_manual:
        parts.append(str(_("no heavy manual work")))
    return ";".join(parts)


def _commute_of(seeker: JobSeeker, vacancy: Vacancy) -> tuple[int, str]:
    row = (
        Commute.objects.filter(village_id=seeker.resident.village_id, employer_id=vacancy.employer_id)
        .values_list("minutes", "mode")
        .first()
    )
    return row if row else (matching.NO_ROUTE, "")


def matches_for_seeker(*, viewer: User, seeker_id: int, k: int = 10) -> list[Match]:
    seeker = seeker_get_for_viewer(viewer=viewer, seeker_id=seeker_id)
    vacancies = _open_vacancies(viewer, within_reach_of=seeker)
    if not vacancies:
        return []
    employers = sorted({v.employer_id for v in vacancies})
    commute = _commute_matrix([seeker.resident.village_id], employers)
    s = _seeker_arrays([seeker], {seeker.resident.village_id: 0})
    v = _vacancy_arrays(vacancies, {e: i for i, e in enumerate(employers)})
    idx, score = matching.top_vacancies(s, v, commute, k=k)
    result = []
    for j, points in zip(idx[0], score[0], strict=True):
        if j < 0:
            continue
        vacancy = vacancies[j]
        minutes, mode = _commute_of(seeker, vacancy)
        result.append(Match(seeker, vacancy, int(points), minutes, explain(seeker, vacancy, minutes, mode)))
    return result


@dataclass(frozen=True)
class NearMiss:
    """A vacancy near the seeker that was not suggested, and why, in plain words."""

    vacancy: Vacancy
    minutes: int
    reasons: list[str]


NEAR_MISSES = 3


def _miss_reasons(failed: set[str], seeker: JobSeeker, vacancy: Vacancy, minutes: int, age: int) -> list[str]:
    education = dict(Education.CHOICES)
    shifts = dict(Shift.CHOICES)
    reasons = []
    if "commute" in failed:
        reasons.append(
            _("one way takes %(minutes)d minutes, more than the %(limit)d you accept")
            % {"minutes": minutes, "limit": seeker.max_commute_minutes}
        )
    if "education" in failed:
        reasons.append(
            _("it asks for %(need)s or more; you have %(have)s")
            % {"need": education[vacancy.min_education], "have": education[seeker.education]}
        )
    if "shifts" in failed:
        reasons.append(
            _("its shifts are %(theirs)s; you can work %(yours)s")
            % {
                "theirs": "、".join(str(shifts[c]) for c in vacancy.shifts if c in shifts),
                "yours": "、".join(str(shifts[c]) for c in seeker.shifts if c in shifts),
            }
        )
    if "heavy_manual" in failed:
        reasons.append(_("it is heavy manual work, which you do not accept"))
    if "age" in failed:
        if vacancy.max_age is None:
            reasons.append(
                _("it is for ages %(low)d and over; you are %(age)d") % {"low": vacancy.min_age, "age": age}
            )
        else:
            reasons.append(
                _("it is for ages %(low)d to %(high)d; you are %(age)d")
                % {"low": vacancy.min_age, "high": vacancy.max_age, "age": age}
            )
    if not reasons:
        reasons.append(_("it fits your limits, but the vacancies above fit you better"))
    return [str(reason) for reason in reasons]


def near_misses_for_seeker(
    *, viewer: User, seeker: JobSeeker, shown: set[int], k: int = NEAR_MISSES
) -> list[NearMiss]:
    """The open vacancies nearest the seeker's village that were not suggested (not in `shown`),
    each with the limits it fails, in the matching engine's own terms: the seeker sees why the
    closest jobs are not on the list instead of wondering. One query."""
    minutes = Commute.objects.filter(
        village_id=seeker.resident.village_id, employer_id=OuterRef("employer_id")
    ).values("minutes")[:1]
    vacancies = list(
        Vacancy.objects.filter(status=Vacancy.Status.OPEN, employer__in=employers_for_viewer(viewer))
        .exclude(pk__in=shown)
        .annotate(minutes=Subquery(minutes), hired=Value(0))
        .filter(minutes__isnull=False)
        .select_related("employer")
        .order_by("minutes", "id")[:k]
    )
    if not vacancies:
        return []
    s = _seeker_arrays([seeker], {seeker.resident.village_id: 0})
    v = _vacancy_arrays(vacancies, {row.employer_id: 0 for row in vacancies})
    v.employer = np.arange(len(vacancies), dtype=np.int32)  # a column of minutes per vacancy
    commute = np.array([[min(row.minutes, matching.NO_ROUTE) for row in vacancies]], dtype=np.int16)
    misses = []
    for j, vacancy in enumerate(vacancies):
        failed = {name for name, row in matching.failures(s, v, commute, j).items() if row[0]}
        reasons = _miss_reasons(failed, seeker, vacancy, vacancy.minutes, int(s.age[0]))
        misses.append(NearMiss(vacancy, vacancy.minutes, reasons))
    return misses


def matches_for_vacancy(*, viewer: User, vacancy_id: int, k: int = 10) -> list[Match]:
    require(viewer, "jobs.work")
    vacancy = vacancy_get(vacancy_id=vacancy_id)
    if not employers_for_viewer(viewer).filter(pk=vacancy.employer_id).exists():
        raise NotFound(_("No such vacancy."))
    # only seekers whose village reaches the workplace within the minutes each accepts
    reach = Commute.objects.filter(
        village_id=OuterRef("resident__village_id"),
        employer_id=vacancy.employer_id,
        minutes__lte=OuterRef("max_commute_minutes"),
    )
    seekers = list(seeker_list(viewer=viewer).filter(Exists(reach)))
    if not seekers:
        return []
    villages = sorted({s.resident.village_id for s in seekers})
    commute = _commute_matrix(villages, [vacancy.employer_id])
    s = _seeker_arrays(seekers, {v: i for i, v in enumerate(villages)})
    vacancy.hired = vacancy.referrals.filter(status=Referral.Status.HIRED).count()
    v = _vacancy_arrays([vacancy], {vacancy.employer_id: 0})
    rows, scores = matching.top_seekers(s, v, commute, 0, k=k)
    result = []
    for i, points in zip(rows, scores, strict=True):
        seeker = seekers[i]
        minutes, mode = _commute_of(seeker, vacancy)
        result.append(Match(seeker, vacancy, int(points), minutes, explain(seeker, vacancy, minutes, mode)))
    return result


EXCLUSION_LABELS = {
    "commute": _("the commute is longer than seekers accept"),
    "education": _("the education asked for is higher than seekers have"),
    "shifts": _("no shift in common"),
    "heavy_manual": _("seekers refuse heavy manual work"),
    "age": _("seekers' ages are outside the vacancy's age range"),
}


@dataclass(frozen=True)
class UnfilledDemand:
    vacancy: Vacancy
    days_open: int
    main_reason: str
    excluded: int
    visit_findings: list[str]


def unfilled_demand(*, viewer: User, today: datetime.date | None = None) -> list[UnfilledDemand]:
    """Vacancies open 30 days or more, each with what holds it back, worked out from its own
    requirements and the seekers who could reach it (matching.shortage): no seeker registered, none
    within reach, a hard constraint that turns all of those away, skills none of them has, a wage
    below what they ask, or seekers who fit and wait to be referred."""
    today = today or timezone.localdate()
    vacancies = [v for v in _open_vacancies(viewer) if (today - v.opened_on).days >= UNFILLED_DAYS]
    seekers = list(_seekers_in_scope(viewer, JobSeeker.Status.SEEKING))
    if not vacancies:
        return []
    employers = sorted({v.employer_id for v in vacancies})
    villages = sorted({s.resident.village_id for s in seekers}) or [0]
    commute = _commute_matrix(villages, employers)
    s = _seeker_arrays(seekers, {v: i for i, v in enumerate(villages)}) if seekers else None
    v = _vacancy_arrays(vacancies, {e: i for i, e in enumerate(employers)})
    findings = notes_by_employer(employers)  # leaders' visits, from outreach (employer_notes.py)
    referred = dict(
        Referral.objects.filter(vacancy__in=vacancies)
        .values_list("vacancy_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = []
    for j, vacancy in enumerate(vacancies):
        if s is None:
            reason, excluded = _nobody_seeking(viewer, referred.get(vacancy.pk, 0)), 0
        else:
            found = matching.shortage(s, v, commute, j)
            reason, excluded = shortage_text(found, vacancy, referred.get(vacancy.pk, 0)), found.turned_away
        rows.append(
            UnfilledDemand(
                vacancy,
                (today - vacancy.opened_on).days,
                reason,
                excluded,
                findings.get(vacancy.employer_id, []),
            )
        )
    return rows


def _nobody_seeking(viewer: User, referred: int) -> str:
    """The reason when no seeker of the viewer's towns is looking for work: none was ever registered,
    or those registered have been referred, found work or paused."""
    if not _seekers_in_scope(viewer, None).exists():
        return str(_("no job seekers registered"))
    if referred:
        return str(
            _("no other job seeker is looking for work now; %(referred)d referred so far")
            % {"referred": referred}
        )
    return str(_("no job seeker is looking for work now"))


def shortage_text(found: matching.Shortage, vacancy: Vacancy, referred: int) -> str:
    """What holds a vacancy back, in a sentence with its own numbers."""
    if found.reason == "out_of_reach":
        if found.nearest >= matching.NO_ROUTE:
            return str(_("no registered job seeker's village has a way to the workplace"))
        return str(
            _(
                "no registered job seeker lives within the commute they accept: the nearest is "
                "%(minutes)d minutes away"
            )
            % {"minutes": found.nearest}
        )
    if found.reason in EXCLUSION_LABELS:
        return str(
            _("%(reason)s: %(n)d of the %(reach)d job seekers within reach")
            % {"reason": EXCLUSION_LABELS[found.reason], "n": found.turned_away, "reach": found.within_reach}
        )
    if found.reason == "skills":
        return str(
            _("none of the %(fit)d job seekers nearby who could take it has the skills asked (%(skills)s)")
            % {"fit": found.fit, "skills": "、".join(skill_names(vacancy.skills))}
        )
    if found.reason == "wage":
        return str(
            _(
                "the wage, up to %(wage)d yuan, is below what %(n)d of the %(fit)d job seekers nearby "
                "who could take it ask (half ask %(asked)d yuan or more)"
            )
            % {"wage": vacancy.wage_max, "n": found.turned_away, "fit": found.fit, "asked": found.wage_asked}
        )
    if vacancy.hired:
        return str(
            _("%(fit)d job seekers nearby could take it; %(hired)d hired, %(left)d more needed")
            % {"fit": found.fit, "hired": vacancy.hired, "left": max(vacancy.headcount - vacancy.hired, 0)}
        )
    if referred:
        return str(
            _("%(fit)d job seekers nearby could take it; %(referred)d referred, none hired yet")
            % {"fit": found.fit, "referred": referred}
        )
    return str(_("%(fit)d job seekers nearby could take it; none referred yet") % {"fit": found.fit})


def _referrals_in_scope(viewer: User) -> QuerySet[Referral]:
    return Referral.objects.visible_to(viewer)


def referral_list(*, viewer: User, status: str | None = None) -> QuerySet[Referral]:
    """The referrals, person by person: staff's work (leaders read `referral_outcomes`)."""
    require(viewer, "jobs.work")
    referrals = _referrals_in_scope(viewer)
    if status:
        referrals = referrals.filter(status=status)
    return referrals.select_related("seeker__resident__village__town", "vacancy__employer").order_by(
        "-created_at"
    )


def referral_outcomes(*, viewer: User) -> dict[str, list]:
    """Outcomes counted per town (of the seeker) and per employer: figures, for leaders too."""
    referrals = _referrals_in_scope(viewer)
    by_town = (
        referrals.values("seeker__resident__village__town__name")
        .annotate(total=Count("id"), hired=Count("id", filter=Q(status=Referral.Status.HIRED)))
        .order_by("seeker__resident__village__town__name")
    )
    by_employer = (
        referrals.values("vacancy__employer__name")
        .annotate(total=Count("id"), hired=Count("id", filter=Q(status=Referral.Status.HIRED)))
        .order_by("vacancy__employer__name")
    )
    return {"by_town": list(by_town), "by_employer": list(by_employer)}


def employer_list(*, viewer: User) -> QuerySet[Employer]:
    return employers_for_viewer(viewer).select_related("village__town").order_by("name")
