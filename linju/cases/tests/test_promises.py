"""What a case promises reads the same on the receipt (page and paper), the notice, the status page,
the API and the texts: no date while the clock is paused, "当场办结" for an item done on the spot."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from linju.cases.papers import case_paper
from linju.cases.services import NewPerson, case_transition
from linju.cases.tests.factories import case_taken
from linju.catalog.tests.factories import ServiceItemFactory
from linju.conftest_world import at
from linju.notify.models import OutboxMessage

DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日")


def paper_text(case, paper="receipt"):
    """The paper as the PDF job renders it, in Chinese, without its markup."""
    document = case_paper(case, paper)
    with translation.override("zh-hans"):
        html = render_to_string(document.template, document.context)
    return re.sub(r"<[^>]+>|\s+", "", html.split("<body>", 1)[1])


def dai_in_person(served):
    """代云峰 at the counter, giving a phone for this case (not the one the register holds)."""
    dai = served.dai
    return NewPerson(name=dai.name, id_number=dai.id_number, phone="13800002222", village_code="500110113225")


@pytest.fixture
def cadre_client(client, served):
    client.force_login(served.cadre)
    return client


def test_a_case_taken_with_a_paper_missing_promises_working_days_after_the_materials_not_a_date(
    served, cadre_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_taken(served, materials_missing=["解除劳动合同证明"])
    assert case.status == "suspended"
    paper = paper_text(case)
    assert "补齐材料后5个工作日内答复" in paper and "一次性告知书" in paper
    assert not DATE.search(paper.split("承诺答复", 1)[1].split("咨询地点", 1)[0])  # no date promised
    page = cadre_client.get(reverse("cases:receipt", args=[case.number])).content.decode()
    assert "补齐材料后 5 个工作日内答复" in page and "补齐材料后开始计时" not in page
    assert f'href="{reverse("cases:notice", args=[case.number])}"' in page  # the notice, from the receipt
    accepted = OutboxMessage.objects.get(purpose="accepted").text
    assert "补齐材料后5个工作日内由永新镇社保服务所答复您" in accepted and not DATE.search(accepted)
    notice = paper_text(case, "notice")
    assert "补齐材料后5个工作日内答复" in notice
    api = cadre_client.get(f"/api/v1/cases/{case.number}").json()
    assert api["promise"] == "补齐材料后5个工作日内由永新镇社保服务所答复您。"


def test_once_the_materials_are_complete_the_receipt_gives_the_date(served, cadre_client):
    case = case_taken(served, materials_missing=["解除劳动合同证明"])
    case = case_transition(
        actor=served.cadre, number=case.number, action="resume", expected_version=1, now=at(2026, 11, 27)
    )
    assert case.promised_date.isoformat() == "2026-12-04"
    html = cadre_client.get(reverse("cases:receipt", args=[case.number])).content.decode()
    page = strip_tags(html)
    assert "2026年12月4日前(5个工作日)" in page and "补齐材料后" not in page
    assert reverse("cases:notice", args=[case.number]) not in html


def test_a_suspension_text_says_how_many_working_days_are_left_and_no_date(
    served, django_capture_on_commit_callbacks
):
    case = case_taken(served)
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(
            actor=served.cadre,
            number=case.number,
            action="suspend",
            missing=["诊断证明"],
            expected_version=1,
            now=at(2026, 11, 27),
        )
    text = OutboxMessage.objects.get(purpose="suspended").text
    assert "诊断证明" in text and "补齐材料后3个工作日内由永新镇社保服务所答复您" in text
    assert not DATE.search(text)


def test_an_item_done_on_the_spot_says_so_wherever_a_date_would_be(
    served, cadre_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_taken(served, item="PE-003", applicant_id=None, person=dai_in_person(served))
    text = OutboxMessage.objects.get(purpose="accepted").text
    assert "由永新镇社保服务所当场办结" in text and not DATE.search(text)
    assert "当场办结" in paper_text(case)
    assert not DATE.search(paper_text(case).split("承诺答复", 1)[1].split("短信发送至", 1)[0])
    page = cadre_client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "当场办结" in page
    assert (
        cadre_client.get(f"/api/v1/cases/{case.number}").json()["promise"] == "由永新镇社保服务所当场办结。"
    )
    status = client.post(reverse("status"), {"number": case.number, "phone_last4": "2222"}).content.decode()
    assert "当场办结" in status


def test_an_item_done_on_the_spot_with_a_paper_missing_is_done_on_the_spot_once_it_comes(
    served, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_taken(served, item="PE-003", materials_missing=["宅基地复垦确认材料"])
    assert "补齐材料后当场办结" in paper_text(case)
    text = OutboxMessage.objects.get(purpose="accepted").text
    assert "补齐材料后由永新镇社保服务所当场办结" in text and not DATE.search(text)


def test_an_item_done_on_the_spot_but_sent_on_to_the_district_promises_a_working_day_not_the_spot(
    served, cadre_client, client, django_capture_on_commit_callbacks
):
    """The rule of acceptance decides the promise: a station that does not finish an item sends it to
    the district the same day, so receipt, text, pages and API promise the next working day, never
    当场办结 beside "当天转区局办理"."""
    ServiceItemFactory(code="SC-009", name="电子社会保障卡签发", time_limit_days=0)  # no delegation
    with django_capture_on_commit_callbacks(execute=True):
        case = case_taken(served, item="SC-009", applicant_id=None, person=dai_in_person(served))
    assert case.status == case.Status.FORWARDED and str(case.promised_date) == "2026-11-26"
    text = OutboxMessage.objects.get(purpose="accepted").text
    assert "当场办结" not in text and "2026-11-26" in text
    receipt = paper_text(case)
    assert "当场办结" not in receipt and "当天转区局" in receipt and "2026年11月26日" in receipt
    page = cadre_client.get(reverse("cases:detail", args=[case.number])).content.decode()
    assert "当场办结" not in page
    assert "当场办结" not in cadre_client.get(f"/api/v1/cases/{case.number}").json()["promise"]
    status = client.post(reverse("status"), {"number": case.number, "phone_last4": "2222"}).content.decode()
    assert "当场办结" not in status and "2026" in status
