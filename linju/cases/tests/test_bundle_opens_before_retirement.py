"""A bundle that opens only so many months before the applicant's statutory retirement month
(退休一件事, six): refused before that month through every door (the service, the API, the intake
page), in words that say from which month, and taken from that month on; the retirement reckoned
from the registry's sex and birth date and the former age recorded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from linju.accounts.services import api_token_create
from linju.cases.models import BundleCase
from linju.cases.services import Intake, bundle_accept_once
from linju.catalog.bundles import bundles_changed
from linju.conftest_world import at
from linju.core.errors import DomainError
from linju.pensions.models import FormerRetirementAge
from linju.people.tests.factories import ResidentFactory

PAPERS = ["居民身份证", "户口簿", "银行卡", "公积金联名卡"]


@pytest.fixture
def opens_at_six(retirement):
    retirement.bundle.opens_months_before_retirement = 6
    retirement.bundle.save()
    bundles_changed()
    return retirement


def resident(world, *, born: datetime.date, sex: str = "M"):
    return ResidentFactory(birth_date=born, sex=sex, village=world.dai.village, phone="13912340000")


def taken(world, person, now):
    return bundle_accept_once(
        actor=world.cadre,
        code="retire",
        intake=Intake(
            item_code="",
            channel="booth",
            applicant_id=person.pk,
            market_code="market-shengping",
            materials_received=PAPERS,
        ),
        now=now,
    )


def test_refused_the_month_before_it_opens_and_taken_on_the_opening_month(opens_at_six):
    # a man born January 1970 retires at 61 years 4 months, in May 2031: he may apply from November 2030
    man = resident(opens_at_six, born=datetime.date(1970, 1, 20))
    with pytest.raises(DomainError) as refused:
        taken(opens_at_six, man, at(2030, 10, 31, 16))
    assert refused.value.code == "not_open_yet" and refused.value.field == "bundle"
    with translation.override("zh-hans"):
        assert refused.value.text() == "您的法定退休时间是2031年5月，2030年11月起可以申请退休一件事。"
    with translation.override("en"):
        assert refused.value.text() == (
            "Your statutory retirement month is May 2031: you can apply for 退休一件事 from November 2030."
        )
    assert not BundleCase.objects.exists()  # nothing written, the person's record unchanged
    accepted = taken(opens_at_six, man, at(2030, 11, 2, 9))
    assert accepted.created and accepted.bundle_case.parts.count() == 3


def test_the_former_age_recorded_decides_the_opening(opens_at_six):
    # a woman born January 1975 retires at 50 years 1 month (February 2025) as a worker; recorded at 55
    # (a cadre) she retires at 56 years 4 months, in May 2031, and may apply from November 2030
    woman = resident(opens_at_six, born=datetime.date(1975, 1, 8), sex="F")
    FormerRetirementAge.objects.create(bureau=woman.bureau, resident=woman, former_age=55)
    with pytest.raises(DomainError) as refused:
        taken(opens_at_six, woman, at(2030, 10, 15))
    with translation.override("zh-hans"):
        assert refused.value.text() == "您的法定退休时间是2031年5月，2030年11月起可以申请退休一件事。"
    FormerRetirementAge.objects.filter(resident=woman).delete()
    assert taken(opens_at_six, woman, at(2030, 10, 15)).created  # a worker retired long ago


def test_a_bundle_without_the_rule_is_open_to_anyone(retirement):
    young = resident(retirement, born=datetime.date(1995, 6, 1))
    assert retirement.bundle.opens_months_before_retirement is None
    assert taken(retirement, young, at(2026, 11, 25)).created


def test_the_api_refuses_in_both_languages_naming_the_months(client, opens_at_six):
    # born January 1990, a man retires at 63, in January 2053: open from July 2052 (long after today)
    far = resident(opens_at_six, born=datetime.date(1990, 1, 5))
    near = resident(opens_at_six, born=datetime.date(1962, 3, 5))  # retired in March 2022
    _token, key = api_token_create(user=opens_at_six.cadre, name="booth tablet")
    body = {
        "bundle": "retire",
        "channel": "booth",
        "market_code": "market-shengping",
        "materials_received": PAPERS,
    }

    def post(person):
        return client.post(
            "/api/v1/cases",
            body | {"applicant_id": person.pk},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )

    refused = post(far)
    assert refused.status_code == 400, refused.content
    answer = refused.json()
    assert answer["code"] == "not_open_yet"
    assert answer["message_zh"] == "您的法定退休时间是2053年1月，2052年7月起可以申请退休一件事。"
    assert answer["message_en"] == (
        "Your statutory retirement month is January 2053: you can apply for 退休一件事 from July 2052."
    )
    assert post(near).status_code == 201


def test_the_intake_page_says_why_and_keeps_what_was_typed(client, opens_at_six):
    far = resident(opens_at_six, born=datetime.date(1990, 1, 5))
    client.force_login(opens_at_six.cadre)
    url = reverse("cases:new") + "?item=bundle:retire&channel=counter&place=point:station-yx"
    form = {
        "name": far.name,
        "id_number": far.id_number,
        "phone": "13912345678",
        "village_code": far.village.code,
        "material_0": "received",
        "material_1": "received",
        "material_2": "received",
        "material_3": "received",
        "texts_to_applicant": "on",
        "idempotency_key": "form-far",
    }
    assert "退休前6个月起可以申请" in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = response.content.decode()
    assert response.status_code == 400
    assert "您的法定退休时间是2053年1月，2052年7月起可以申请退休一件事。" in page
    assert far.id_number in page and not BundleCase.objects.exists()
