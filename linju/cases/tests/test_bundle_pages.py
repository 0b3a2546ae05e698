"""A bundle case's papers and pages: the receipt (page and PDF) lists every part with its promised
date and the office that finishes it; the final notice lists every outcome; the public status page
speaks of the bundle first, then its parts; a partner's part has its dispatch slip."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from linju.cases.services import Intake, Outcome, bundle_accept_once, case_finish
from linju.conftest_world import at

PAPERS = ["居民身份证", "户口簿", "银行卡", "公积金联名卡"]


def taken(world, **extra):
    intake = Intake(
        item_code="",
        channel="booth",
        applicant_id=world.dai.pk,
        market_code="market-shengping",
        materials_received=PAPERS,
        no_materials_reason="",
        phone="13912345678",
    )
    return bundle_accept_once(
        actor=world.cadre, code="retire", intake=intake, now=at(2026, 11, 25)
    ).bundle_case


@pytest.fixture
def cadre_client(client, retirement):
    client.force_login(retirement.cadre)
    return client


def test_the_receipt_lists_every_part_with_its_date_and_office(cadre_client, retirement, huey_worker):
    bundle_case = taken(retirement)
    page = cadre_client.get(reverse("cases:bundle-receipt", args=[bundle_case.number])).content.decode()
    for words in (
        bundle_case.number,
        "退休一件事",
        "退休审批",
        "2026-12-09",
        "綦江区人力社保局服务大厅",
        "基本养老金申领",
        "2026-12-02",
        "永新镇社保服务所",
        "住房公积金提取",
        "2026-12-01",
        "綦江住房公积金管理中心（示例）",
        "不用您跑",
    ):
        assert words in page, words
    url = reverse("cases:bundle-receipt-pdf", args=[bundle_case.number])
    assert cadre_client.get(url).status_code == 202  # built by a worker, as every paper
    huey_worker.run()
    pdf = cadre_client.get(url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for words in (bundle_case.number, "退休审批", "住房公积金提取", "2026-12-09", "2026-12-01"):
        assert words in text, words


def test_the_bundle_page_and_a_part_link_each_other(cadre_client, retirement):
    bundle_case = taken(retirement)
    assert cadre_client.get(reverse("cases:detail", args=[bundle_case.number])).url == reverse(
        "cases:bundle", args=[bundle_case.number]
    )
    page = cadre_client.get(reverse("cases:bundle", args=[bundle_case.number])).content.decode()
    assert f"{bundle_case.number}-3" in page and "送达单" in page
    part = cadre_client.get(reverse("cases:detail", args=[f"{bundle_case.number}-1"])).content.decode()
    assert reverse("cases:bundle", args=[bundle_case.number]) in part


def test_a_stranger_does_not_see_the_bundle(client, retirement):
    bundle_case = taken(retirement)
    client.force_login(retirement.dongxi_cadre)
    assert client.get(reverse("cases:bundle", args=[bundle_case.number])).status_code == 404
    assert client.get(reverse("cases:detail", args=[bundle_case.number])).status_code == 404


def test_the_status_page_speaks_of_the_bundle_then_its_parts(client, retirement):
    bundle_case = taken(retirement)
    approval, pension, housing = bundle_case.parts.order_by("id")
    case_finish(actor=retirement.staff, number=approval.number, outcome=Outcome(kind="granted"))
    response = client.post(reverse("status"), {"number": bundle_case.number, "phone_last4": "5678"})
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        page.index("退休一件事")
        < page.index("退休审批")
        < page.index("基本养老金申领")
        < page.index("住房公积金提取")
    )
    assert "予以办理" in page and "綦江住房公积金管理中心（示例）" in page
    assert "代云峰" not in page  # no personal data on the public page
    wrong = client.post(reverse("status"), {"number": bundle_case.number, "phone_last4": "0000"})
    assert wrong.status_code == 404 and "退休审批" not in wrong.content.decode()


def test_the_final_notice_lists_every_outcome(cadre_client, retirement):
    bundle_case = taken(retirement)
    url = reverse("cases:bundle-answer", args=[bundle_case.number])
    assert cadre_client.get(url).status_code == 404  # not before the last answer
    approval, pension, housing = bundle_case.parts.order_by("id")
    case_finish(actor=retirement.staff, number=approval.number, outcome=Outcome(kind="granted"))
    case_finish(actor=retirement.cadre, number=pension.number, outcome=Outcome(kind="granted"))
    case_finish(
        actor=retirement.staff,
        number=housing.number,
        outcome=Outcome(kind="refused", detail="账户尚有未还贷款", rule="公积金提取管理办法第八条"),
    )
    page = cadre_client.get(url).content.decode()
    for words in (
        "退休审批",
        "基本养老金申领",
        "住房公积金提取",
        "账户尚有未还贷款",
        "公积金提取管理办法第八条",
    ):
        assert words in page, words


def test_a_partners_part_has_its_dispatch_slip(cadre_client, retirement, huey_worker):
    bundle_case = taken(retirement)
    url = reverse("cases:dispatch-slip", args=[f"{bundle_case.number}-3"])
    assert cadre_client.get(url).status_code == 202
    huey_worker.run()
    pdf = cadre_client.get(url)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for words in ("綦江住房公积金管理中心", "公积金联名卡", "居民身份证", bundle_case.number):
        assert words in text, words
    assert (
        cadre_client.get(reverse("cases:dispatch-slip", args=[f"{bundle_case.number}-1"])).status_code == 404
    )
