"""The staff journeys not covered elsewhere, each at desktop and 360×640 (the `page` fixture):
(c) district staff finish a case a township forwarded; (e) a leader opens the dashboard and drills
into the overdue cases; (f) a cadre imports a spreadsheet with one bad row, fixes it, imports again.
(a) is e2e/test_resident_catalog.py, (b) and (d) e2e/test_booth_case.py."""

import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from e2e.conftest import log_in, open_menu
from linju.accounts.models import User
from linju.geo.models import Town
from linju.people.idnumbers import build_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "linju-demo-2026"


def log_out(page, url):
    page.context.clear_cookies()


def test_district_staff_finish_a_forwarded_case(demo, live_server, page, screenshot):
    # 三角镇 was not in the 2014 pilot: its station accepts unemployment benefit claims and
    # forwards them to the district (the demo's delegation)
    town = Town.objects.get(name="三角镇")
    cadre = User.objects.create_user(
        "sanjiao_cadre", password=PASSWORD, role=User.Role.TOWNSHIP_CADRE, bureau=town.bureau
    )
    cadre.towns.add(town)
    village = town.villages.order_by("code").first()
    url = live_server.url
    log_in(page, url, "sanjiao_cadre")
    page.goto(f"{url}/staff/cases/new/")
    page.select_option("#id_item", "UI-002")
    page.check("input[name=channel][value=counter]")
    page.select_option("#id_place", label="三角镇社保服务所")
    page.click("form.form button[type=submit]")
    page.fill("#id_name", "邱桂英")
    page.fill("#id_id_number", build_id_number("500222", datetime.date(1961, 3, 9), 42))
    page.fill("#id_phone", "13812345670")
    page.select_option("#id_village_code", label=f"三角镇 · {village.name}")
    for handed_in in page.query_selector_all("input[type=radio][value=received]"):
        handed_in.check()
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/receipt/")
    assert "区人力社保局" in page.inner_text("main")  # the receipt names the district as finisher
    number = page.url.rstrip("/").split("/")[-2]
    page.goto(f"{url}/staff/cases/{number}/")
    assert "已转区局" in page.inner_text("dl.record")  # sent the same day, nothing to click
    log_out(page, url)

    log_in(page, url, "qj_staff")
    page.goto(f"{url}/staff/cases/?list=forwarded")
    page.click(f"text={number}")
    screenshot("staff-forwarded-case")
    page.check("form.action-finish input[name=outcome][value=granted]")
    page.click("form.action-finish button")
    page.wait_for_selector("text=已保存。")
    assert "已办结" in page.inner_text("dl.record")
    screenshot("staff-finished-case")


def test_leader_drills_from_the_dashboard_into_overdue_cases(demo, live_server, page, screenshot):
    url = live_server.url
    log_in(page, url, "qj_leader")
    open_menu(page)
    page.click("header nav >> text=数据看板")
    page.wait_for_selector("h1:has-text('服务短板一览')")
    page.wait_for_selector(".chart svg")  # ECharts drew (the tables are there without JavaScript too)
    screenshot("leader-dashboard")
    overdue = page.locator("a.figure", has_text="当前超期")
    count = int(overdue.locator("strong").inner_text())
    overdue.click()
    page.wait_for_url("**/staff/cases/?list=overdue*")
    rows = page.locator("table.cases tbody tr")
    assert "超期" in page.inner_text("nav.chips")
    if count:
        assert rows.count() == min(count, 30) and page.locator("table.cases strong.error").count() >= 1
    screenshot("leader-overdue-list")


def _sheet(tmp: Path, rows) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "手机号码", "镇街", "村(社区)", "户号"])
    for row in rows:
        sheet.append(row)
    path = tmp / "荆山村名单.xlsx"
    workbook.save(path)
    return path


def test_cadre_imports_a_spreadsheet_fixes_the_bad_row(demo, live_server, page, screenshot, tmp_path):
    url = live_server.url
    good = [
        [
            f"导入{i}",
            build_id_number("500222", datetime.date(1970 + i, 5, 6), 100 + i),
            "13900001111",
            "",
            "荆山村",
            "",
        ]
        for i in range(3)
    ]
    wrong = good[1][1][:-1] + ("0" if good[1][1][-1] != "0" else "1")
    log_in(page, url, "yongxin_cadre")
    page.goto(f"{url}/staff/insights/imports/")
    page.select_option("#id_kind", "residents")
    page.set_input_files(
        "#id_file", str(_sheet(tmp_path, [good[0], [*good[1][:1], wrong, *good[1][2:]], good[2]]))
    )
    page.click("form.form button[type=submit]")
    page.wait_for_selector("text=没有保存任何数据")
    errors = page.inner_text("table.import-errors")
    assert "3" in errors and "身份证号" in errors
    screenshot("import-rejected")
    with page.expect_download() as download:
        page.click("text=下载需改正的行")
    assert download.value.suggested_filename.endswith("errors.xlsx")

    page.goto(f"{url}/staff/insights/imports/")
    page.select_option("#id_kind", "residents")
    page.set_input_files("#id_file", str(_sheet(tmp_path, good)))
    page.click("form.form button[type=submit]")
    page.wait_for_selector("text=已保存 3 行")
    assert page.inner_text("#rows-saved") == "3"
    screenshot("import-done")
