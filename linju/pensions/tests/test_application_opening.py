"""When a resident may apply to retire is the bureau's one setting (its 退休一件事's months before the
statutory retirement month): intake refuses before it, and the public calculator, its API and the
text a year before say the same month; changing the setting changes every answer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.html import strip_tags

from linju.cases.models import BundleCase
from linju.cases.services import Intake, bundle_accept_once
from linju.catalog.bundles import bundles_changed
from linju.catalog.models import Bundle
from linju.catalog.tests.factories import BundleFactory
from linju.conftest_world import at
from linju.core.errors import DomainError
from linju.notify.models import OutboxMessage
from linju.pensions.calculator import month_words
from linju.pensions.law import month_index, month_of
from linju.pensions.services import retirement_texts_send
from linju.people.tests.factories import ResidentFactory

from .conftest import TODAY

# born April 1967, a man retires at 60 years 7 months, in November 2027 (within the text's year)
BIRTH = datetime.date(1967, 4, 10)
RETIRES = (2027, 11)


def _set(bundled, months):
    Bundle.objects.filter(pk=bundled.bundle.pk).update(opens_months_before_retirement=months)
    bundles_changed()


def _words(month, language="zh-hans"):
    with translation.override(language):
        return str(month_words(month))


def _take(bundled, person, now):
    return bundle_accept_once(
        actor=bundled.cadre,
        code="QJ-RETIRE",
        intake=Intake(item_code="", channel="booth", applicant_id=person.pk, market_code="market-shengping"),
        now=now,
    )


@pytest.mark.parametrize("months", [3, 6, 12])
def test_the_bundle_setting_moves_every_answer_together(client, bundled, monkeypatch, settings, months):
    settings.LINJU_SMS_BACKEND = "linju.notify.sms.OutboxOnlyBackend"
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    _set(bundled, months)
    opens = month_of(month_index(*RETIRES) - months)
    man = ResidentFactory(birth_date=BIRTH, sex="M", village=bundled.jingshan, phone="13912340001")
    town = bundled.yongxin.code

    api = client.get("/api/v1/retirement-age", {"birth": "1967-04", "former_age": "60", "town": town}).json()
    assert api["applications_open_month"] == f"{opens[0]}-{opens[1]:02d}"
    assert api["applications_open_months_before"] == months

    page = strip_tags(
        client.get(
            "/retirement/",
            {"birth": "1967-04", "former_age": "60", "town": town},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).content.decode()
    )
    this_month = (TODAY.year, TODAY.month)
    if month_index(*opens) > month_index(*this_month):
        assert f"从{_words(opens)}起（退休前{months}个月）" in page
    else:
        assert f"退休前{months}个月起可以申请：您现在就可以" in page

    retirement_texts_send(today=TODAY)
    text = OutboxMessage.objects.get(phone=man.phone)
    said = _words(opens) if month_index(*opens) > month_index(*this_month) else "现在"
    assert text.params["opens"] == said and f"{said}起可到社保服务所申请退休" in text.text

    before = month_of(month_index(*opens) - 1)
    with pytest.raises(DomainError) as refused:
        _take(bundled, man, at(*before, 20))
    assert refused.value.code == "not_open_yet"
    with translation.override("zh-hans"):
        assert f"{_words(opens)}起可以申请" in refused.value.text()
    assert not BundleCase.objects.exists()
    assert _take(bundled, man, at(*opens, 20)).created


def test_without_the_setting_every_answer_says_any_time(client, bundled, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    young = ResidentFactory(birth_date=datetime.date(1995, 6, 1), sex="M", village=bundled.jingshan)
    api = client.get(
        "/api/v1/retirement-age", {"birth": "1995-06", "former_age": "60", "town": bundled.yongxin.code}
    ).json()
    assert api["applications_open_month"] is None and api["applications_open_months_before"] is None
    page = client.get(
        "/retirement/",
        {"birth": "1995-06", "former_age": "60", "town": bundled.yongxin.code},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "您随时可以到社保服务所申请办理退休" in page
    assert _take(bundled, young, at(2026, 12, 8)).created


def test_the_town_decides_whose_setting_is_told(client, bundled, monkeypatch):
    """A 万盛 town's resident is told 万盛's setting (none here), a 綦江 town's 綦江's; with no town the
    page asks for one and the API leaves the opening out."""
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    _set(bundled, 6)
    asked = {"birth": "1970-01", "former_age": "60"}
    wansheng = client.get(
        "/api/v1/retirement-age", asked | {"town": bundled.wansheng_resident.village.town.code}
    )
    assert wansheng.json()["applications_open_month"] is None
    qijiang = client.get("/api/v1/retirement-age", asked | {"town": bundled.yongxin.code})
    assert qijiang.json()["applications_open_month"] == "2030-11"
    assert client.get("/api/v1/retirement-age", asked).json()["applications_open_month"] is None
    page = client.get("/retirement/", asked, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "选择您所在的镇街" in page and 'name="town"' in page and "<script" not in page


def test_the_remembered_village_chooses_the_town(client, bundled, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    _set(bundled, 6)
    client.cookies["linju_village"] = bundled.jingshan.code
    page = client.get(
        "/retirement/", {"birth": "1970-01", "former_age": "60"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert f'value="{bundled.yongxin.code}" selected' in page
    assert "从2030年11月起（退休前6个月）" in strip_tags(page)


def test_an_unknown_town_is_refused_in_both_languages(client, bundled):
    response = client.get(
        "/api/v1/retirement-age", {"birth": "1970-01", "former_age": "60", "town": "500110999000"}
    )
    assert response.status_code == 400
    body = response.json()
    assert "500110999000" in body["message_zh"] and "500110999000" in body["message_en"]
    page = client.get("/retirement/", {"birth": "1970-01", "former_age": "60", "town": "500110999000"})
    assert page.status_code == 400 and 'aria-describedby="town-error"' in page.content.decode()


def test_a_bureau_has_one_bundle_that_says_when_retirement_opens(bundled):
    _set(bundled, 6)
    second = BundleFactory.build(
        bureau=bundled.bundle.bureau, code="QJ-RETIRE-2", opens_months_before_retirement=3
    )
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "opens_months_before_retirement" in refused.value.message_dict
    other_bureau = BundleFactory.build(
        bureau=bundled.wansheng_resident.bureau, code="WS-RETIRE", opens_months_before_retirement=3
    )
    other_bureau.full_clean()
