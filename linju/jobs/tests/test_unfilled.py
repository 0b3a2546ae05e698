"""What holds each unfilled vacancy back is worked out from that vacancy's own requirements and the
seekers who could reach it, not from the district as a whole."""

import dataclasses
import datetime

import pytest
from django.utils import translation

from linju.conftest_world import TownsAndStaff
from linju.jobs.models import Commute, Employer, JobSeeker, Referral, Vacancy
from linju.jobs.selectors import unfilled_demand
from linju.jobs.services import referral_create, seeker_register
from linju.jobs.tests.factories import industrial_park, vacancy_posted

D = datetime.date
TODAY = D(2026, 11, 26)


@dataclasses.dataclass(frozen=True)
class VacancyForEachReason(TownsAndStaff):
    """The towns and staff with one vacancy held back by each reason, and one that fits."""

    far: Vacancy  # 95 minutes from 荆山村
    nowhere: Vacancy  # no way there from 荆山村
    education: Vacancy  # asks for college
    night: Vacancy  # night shifts
    sewing: Vacancy  # asks for sewing
    low_wage: Vacancy  # pays below what the seeker asks
    fits: Vacancy  # office work, near, days, paid enough


@pytest.fixture
def vacancies(towns_and_staff) -> VacancyForEachReason:
    """One seeker in 荆山村 (60 minutes at most, junior middle school, office work, asks 4,000 yuan,
    day shifts) and a vacancy for each reason, all open since September."""
    park = industrial_park(towns_and_staff.dongxi)
    near = Employer.objects.create(name="近厂(示例)", village=park)
    far = Employer.objects.create(name="远厂(示例)", village=park)
    nowhere = Employer.objects.create(name="无路厂(示例)", village=park)
    Commute.objects.create(village=towns_and_staff.jingshan, employer=near, minutes=30, mode="bus")
    Commute.objects.create(village=towns_and_staff.jingshan, employer=far, minutes=95, mode="bus")
    seeker_register(
        actor=towns_and_staff.cadre,
        resident_id=towns_and_staff.dai.pk,
        education=2,
        skills=["office_computer"],
        max_commute_minutes=60,
        shifts=["day"],
        wage_wanted=4000,
        wants_training=False,
    )
    base = {"min_education": 1, "wage_min": 3500, "wage_max": 5000}

    def post(employer, title, **changes):
        vacancy = vacancy_posted(employer, title, **(base | changes))
        vacancy.opened_on = D(2026, 9, 1)
        vacancy.save(update_fields=["opened_on"])
        return vacancy

    return towns_and_staff.grown(
        VacancyForEachReason,
        far=post(far, "远处装配工"),
        nowhere=post(nowhere, "无路装配工"),
        education=post(near, "质检员", min_education=4),
        night=post(near, "夜班保安", shifts=["night"]),
        sewing=post(near, "缝纫工", skills=["sewing"]),
        low_wage=post(near, "杂工", wage_min=2500, wage_max=3000),
        fits=post(near, "文员", skills=["office_computer"]),
    )


def reasons(viewer) -> dict[str, tuple[str, int]]:
    with translation.override("zh-hans"):
        return {
            r.vacancy.title: (r.main_reason, r.excluded) for r in unfilled_demand(viewer=viewer, today=TODAY)
        }


def test_each_unfilled_vacancy_gets_the_reason_its_own_data_gives(vacancies):
    found = reasons(vacancies.cadre)
    assert found["远处装配工"] == ("没有已登记的求职者住在其能接受的通勤范围内:最近的也要 95 分钟", 1)
    assert found["无路装配工"][0] == "已登记的求职者所在村都没有到这个工作地点的交通"
    assert found["质检员"] == ("学历要求高于求职者:通勤范围内的 1 名求职者中有 1 名", 1)
    assert found["夜班保安"] == ("班次对不上:通勤范围内的 1 名求职者中有 1 名", 1)
    assert found["缝纫工"] == ("附近能做这份工作的 1 名求职者都不具备所需技能(缝纫)", 1)
    assert found["杂工"] == (
        "工资最高 3000 元,低于附近能做这份工作的 1 名求职者中 1 名的期望(半数期望 4000 元及以上)",
        1,
    )
    assert found["文员"] == ("附近有 1 名求职者能做这份工作;还没有推荐", 0)
    assert len({reason for reason, _n in found.values()}) == len(found)


def test_a_vacancy_whose_seekers_fit_says_how_far_referring_has_gone(vacancies):
    from linju.people.tests.factories import ResidentFactory

    other = seeker_register(
        actor=vacancies.cadre,
        resident_id=ResidentFactory(village=vacancies.jingshan).pk,
        education=2,
        skills=["office_computer"],
        max_commute_minutes=60,
        shifts=["day"],
        wage_wanted=4000,
        wants_training=False,
    )
    assert reasons(vacancies.cadre)["文员"] == ("附近有 2 名求职者能做这份工作;还没有推荐", 0)
    referral = referral_create(
        actor=vacancies.cadre, seeker_id=other.pk, vacancy_id=vacancies.fits.pk, today=D(2026, 11, 1)
    )
    # the referred seeker leaves the seeking list; the other still fits
    assert reasons(vacancies.cadre)["文员"] == (
        "附近有 1 名求职者能做这份工作;已推荐 1 人次,尚无人录用",
        0,
    )
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.HIRED)
    vacancies.fits.headcount = 3
    vacancies.fits.save(update_fields=["headcount"])
    assert reasons(vacancies.cadre)["文员"] == ("附近有 1 名求职者能做这份工作;已录用 1 人,还缺 2 人", 0)


def test_when_no_seeker_is_looking_the_vacancy_says_whether_any_was_ever_registered(vacancies):
    seeker = JobSeeker.objects.get()
    referral_create(
        actor=vacancies.cadre, seeker_id=seeker.pk, vacancy_id=vacancies.fits.pk, today=D(2026, 11, 1)
    )
    found = reasons(vacancies.cadre)
    assert found["文员"] == ("目前没有其他求职者在找工作;已推荐 1 人次", 0)
    assert found["缝纫工"] == ("目前没有求职者在找工作", 0)


def test_without_any_seeker_every_vacancy_says_so(vacancies):
    JobSeeker.objects.all().delete()
    assert {reason for reason, _n in reasons(vacancies.cadre).values()} == {"暂无求职者登记"}


def test_wage_is_the_reason_only_when_most_who_fit_ask_more(vacancies):
    """Two of three seekers who fit accept 3,000 yuan: the wage is not what holds the vacancy back."""
    from linju.people.tests.factories import ResidentFactory

    for wage in (2800, 3000):
        seeker_register(
            actor=vacancies.cadre,
            resident_id=ResidentFactory(village=vacancies.jingshan).pk,
            education=2,
            skills=[],
            max_commute_minutes=60,
            shifts=["day"],
            wage_wanted=wage,
            wants_training=False,
        )
    assert reasons(vacancies.cadre)["杂工"] == ("附近有 3 名求职者能做这份工作;还没有推荐", 0)
