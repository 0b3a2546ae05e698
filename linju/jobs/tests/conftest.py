"""The jobs world: an industrial park in 东溪镇, two employers within reach of 荆山村, and 代云峰
registered as a job seeker."""

import pytest

from linju.geo.tests.factories import VillageFactory
from linju.jobs.models import Commute, Employer
from linju.jobs.services import seeker_register, vacancy_post


@pytest.fixture
def jw(world):
    park = VillageFactory(town=world["dongxi"], code="500110109999", name="工业园")
    electronics = Employer.objects.create(name="电子厂(示例)", village=park)
    quarry = Employer.objects.create(name="采石场(示例)", village=park)
    for employer, minutes, mode in ((electronics, 50, "shuttle"), (quarry, 40, "bus")):
        Commute.objects.create(village=world["jingshan"], employer=employer, minutes=minutes, mode=mode)
    base = {
        "occupation_group": "6",
        "min_education": 2,
        "wage_min": 4200,
        "wage_max": 5600,
        "shifts": ["day"],
        "headcount": 1,
    }
    assembly = vacancy_post(
        actor=None,
        employer_id=electronics.pk,
        title="电子装配工",
        skills=["electronics_assembly"],
        training_offered=True,
        **base,
    )
    lifting = vacancy_post(
        actor=None, employer_id=quarry.pk, title="搬运工", skills=[], heavy_manual=True, **base
    )
    seeker = seeker_register(
        actor=world["cadre"],
        resident_id=world["dai"].pk,
        education=3,
        skills=["office_computer"],
        max_commute_minutes=60,
        shifts=["day", "rotating"],
        wage_wanted=4000,
        wants_training=True,
        constraints="要照顾奶奶",
    )
    return world | {"assembly": assembly, "lifting": lifting, "seeker": seeker, "electronics": electronics}


@pytest.fixture
def jw_client(client, jw):
    client.force_login(jw["cadre"])
    return client, jw
