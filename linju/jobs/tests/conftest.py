"""The job market of the tests: an industrial park in 东溪镇, two employers within reach of 荆山村,
a vacancy at each, and 代云峰 registered as a job seeker."""

import dataclasses

import pytest

from linju.conftest_world import TownsAndStaff
from linju.jobs.models import Commute, Employer, JobSeeker, Vacancy
from linju.jobs.services import seeker_register
from linju.jobs.tests.factories import industrial_park, vacancy_posted


@dataclasses.dataclass(frozen=True)
class JobMarket(TownsAndStaff):
    """The towns and staff with two employers in 东溪镇's industrial park (50 minutes by shuttle and 40
    by bus from 荆山村), a vacancy at each and 代云峰 looking for work."""

    electronics: Employer  # 电子厂(示例)
    assembly: Vacancy  # 电子装配工 at the electronics works: day shifts, training offered
    lifting: Vacancy  # 搬运工 at the quarry: heavy manual work
    seeker: JobSeeker  # 代云峰: senior middle school, office work, 60 minutes at most, asks 4,000 yuan


@pytest.fixture
def job_market(towns_and_staff) -> JobMarket:
    """`towns_and_staff` with employers, vacancies and a job seeker: see `JobMarket`."""
    park = industrial_park(towns_and_staff.dongxi)
    electronics = Employer.objects.create(name="电子厂(示例)", village=park)
    quarry = Employer.objects.create(name="采石场(示例)", village=park)
    for employer, minutes, mode in ((electronics, 50, "shuttle"), (quarry, 40, "bus")):
        Commute.objects.create(
            village=towns_and_staff.jingshan, employer=employer, minutes=minutes, mode=mode
        )
    base = {"min_education": 2, "wage_min": 4200, "wage_max": 5600, "headcount": 1}
    assembly = vacancy_posted(
        electronics, "电子装配工", skills=["electronics_assembly"], training_offered=True, **base
    )
    lifting = vacancy_posted(quarry, "搬运工", heavy_manual=True, **base)
    seeker = seeker_register(
        actor=towns_and_staff.cadre,
        resident_id=towns_and_staff.dai.pk,
        education=3,
        skills=["office_computer"],
        max_commute_minutes=60,
        shifts=["day", "rotating"],
        wage_wanted=4000,
        wants_training=True,
        constraints="要照顾奶奶",
    )
    return towns_and_staff.grown(
        JobMarket, electronics=electronics, assembly=assembly, lifting=lifting, seeker=seeker
    )


@pytest.fixture
def job_market_client(client, job_market) -> tuple:
    """A client signed in as 永新镇's cadre, and the `job_market`."""
    client.force_login(job_market.cadre)
    return client, job_market
