"""A cadre takes a case at the 升平 market-day booth on a phone, prints the receipt and later finishes
it; the resident looks it up with the number and the end of their phone, and rates it."""

import datetime

import pytest

from e2e.conftest import SCREENSHOTS
from linju.people.idnumbers import build_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_booth_case_receipt_status_and_rating(demo, live_server, page, browser, screenshot):
    id_number = build_id_number("500222", datetime.date(1993, 8, 2), 15)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "yongxin_cadre")
    page.fill("#id_password", "linju-demo-2026")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")

    page.goto(f"{live_server.url}/staff/cases/new/")
    page.select_option("#id_item", "UI-002")
    page.check("input[name=channel][value=booth]")
    page.select_option("#id_place", label="永新镇 · 升平片场")
    page.click("form.form button[type=submit]")
    page.fill("#id_name", "代云峰")
    page.fill("#id_id_number", id_number)
    page.fill("#id_phone", "13912345678")
    page.select_option("#id_village_code", label="永新镇 · 荆山村")
    for handed_in in page.query_selector_all("input[type=radio][value=received]"):
        handed_in.check()  # nothing is ticked for the cadre
    screenshot("booth-intake")
    page.click("form.form button[type=submit]")

    page.wait_for_url("**/receipt/")
    receipt = page.inner_text("main")
    assert "受理回执" in receipt and "升平片场" in receipt and "代云峰" in receipt
    assert id_number not in receipt  # masked on paper too
    number = page.url.rstrip("/").split("/")[-2]
    screenshot("booth-receipt")
    pdf = page.request.get(f"{live_server.url}/staff/cases/{number}/receipt.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:4] == b"%PDF"

    page.goto(f"{live_server.url}/staff/cases/{number}/")
    page.check("form.action-finish input[name=outcome][value=granted]")
    page.click("form.action-finish button")
    page.wait_for_selector("text=已保存。")
    assert "已办结" in page.inner_text("dl.record")

    resident = browser.new_context(viewport=page.viewport_size, locale="zh-CN").new_page()
    resident.goto(f"{live_server.url}/status/?number={number}")
    resident.fill("#id_phone_last4", "5678")
    resident.click("form.form button[type=submit]")
    assert "已办结" in resident.inner_text("main")
    assert "代云峰" not in resident.content()
    resident.check("input[name=level][value='5']")
    resident.fill("#id_comment", "在场镇就办了,不用跑城里")
    resident.click("form.form button[type=submit]")
    assert "谢谢您的评价" in resident.inner_text("main")
    resident.screenshot(path=str(SCREENSHOTS / f"resident-rated-{page.viewport_name}.png"), full_page=True)
    resident.context.close()
