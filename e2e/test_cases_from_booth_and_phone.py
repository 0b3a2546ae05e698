"""A case from booth to resident and back, at phone size (and desktop in `make test-all`), on SQLite and PostgreSQL:

1. At the 升平片场 booth the 永新镇 cadre takes 临时救急补助申请 for a villager whose daughter
   applies for her (agent recorded); the receipt names the district as finisher with the promised
   date; district staff finish it with an outcome; the texts go out; /status/ by the daughter's
   phone shows the outcome; the rating is recorded.
2. A phone call from an elder of 荆山村 becomes a home certification task in the cadre's list and
   calendar, done on the visit."""

import datetime

import pytest

from e2e.conftest import SCREENSHOTS, log_in
from linju.cases.models import Case, Rating
from linju.notify.models import OutboxMessage
from linju.outreach.models import Certification, HomeTask, Pensioner
from linju.people.idnumbers import build_id_number
from linju.people.models import Resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_emergency_relief_at_the_booth_answered_to_the_daughter(demo, live_server, page, browser, screenshot):
    url = live_server.url
    mother = build_id_number("500222", datetime.date(1950, 4, 12), 8)
    daughter = build_id_number("500222", datetime.date(1978, 9, 3), 21)
    log_in(page, url, "yongxin_cadre")

    # step 1: the booth, and what it takes, before anything about the person is typed
    page.goto(f"{url}/staff/cases/new/")
    page.check("input[name=channel][value=booth]")
    page.select_option("#id_place", label="永新镇 · 升平片场")
    page.click("form.form button[type=submit]")
    options = page.inner_text("table.options")
    assert "临时救急补助申请" in options and "当天转" in options
    screenshot("loop-step-one")
    page.click("table.options >> text=临时救急补助申请")

    # step 2: the villager, her daughter as agent, the materials ticked by hand
    assert "当天转" in page.inner_text("p.notice")
    page.fill("#id_name", "代秀英")
    page.fill("#id_id_number", mother)
    page.fill("#id_phone", "13700001111")
    page.select_option("#id_village_code", label="永新镇 · 荆山村")
    page.click("details.agent summary")
    page.fill("#id_agent_name", "王芳")
    page.fill("#id_agent_id_number", daughter)
    page.fill("#id_agent_phone", "13900002222")
    page.select_option("#id_agent_relation", "child")
    page.check("#id_texts_to_agent")
    page.check("#id_agent_authorise")  # she signs the authorisation (委托书) for her daughter now
    for handed_in in page.query_selector_all("input[type=radio][value=received]"):
        handed_in.check()
    screenshot("loop-intake")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/receipt/")
    receipt = page.inner_text("main")
    number = page.url.rstrip("/").split("/")[-2]
    case = Case.objects.get(number=number)
    assert "服务大厅" in receipt and case.promised_date.strftime("%Y年%-m月%-d日") in receipt
    assert "王芳" in receipt and "子女" in receipt and daughter not in receipt and mother not in receipt
    assert case.status == "forwarded" and case.agent_name == "王芳"
    screenshot("loop-receipt")

    # the district: forwarded by the towns → finish with the outcome and an amount
    log_in(page, url, "qj_staff")
    page.goto(f"{url}/staff/cases/?list=forwarded")
    page.click(f"text={number}")
    page.check("form.action-finish input[name=outcome][value=granted]")
    page.fill("#id_outcome_detail", "核实为突发重大疾病,给予一次性救急补助")
    page.fill("#id_amount", "3000")
    screenshot("loop-finish")
    page.click("form.action-finish button")
    page.wait_for_selector("text=已保存。")
    assert "予以办理" in page.inner_text("dl.record")
    texts = OutboxMessage.objects.filter(reference__startswith=f"{number}@", purpose="finished")
    assert {t.phone for t in texts} == {"13700001111", "13900002222"}  # both agreed to texts
    assert all("3,000.00元" in t.text and "/status/?number=" in t.text for t in texts)

    # the daughter looks it up with her own phone's last four digits, and rates it
    resident = browser.new_context(viewport=page.viewport_size, locale="zh-CN").new_page()
    resident.goto(f"{url}/status/?number={number}")
    resident.fill("#id_phone_last4", "2222")
    resident.click("form.form button[type=submit]")
    answer = resident.inner_text("main")
    assert "予以办理" in answer and "3000.00 元" in answer and "服务大厅" in answer
    assert "代秀英" not in resident.content() and "王芳" not in resident.content()
    resident.screenshot(path=str(SCREENSHOTS / f"loop-status-{page.viewport_name}.png"), full_page=True)
    resident.check("input[name=level][value='5']")
    resident.click("form.form button[type=submit]")
    assert "谢谢您的评价" in resident.inner_text("main")
    resident.context.close()
    assert Rating.objects.get(case=case).level == 5


def test_a_phone_call_becomes_a_home_certification(demo, live_server, page, screenshot):
    url = live_server.url
    year = datetime.date.today().year
    # an elder of 荆山村 on the pension roster, not yet certified this year
    person = (
        Resident.objects.filter(village__name="荆山村", birth_date__lte=datetime.date(year - 70, 1, 1))
        .order_by("pk")
        .first()
    )
    assert person is not None, "the demo has elders in 荆山村"
    elder, _created = Pensioner.objects.get_or_create(
        resident=person, defaults={"bureau_id": person.bureau_id}
    )
    Certification.objects.filter(pensioner=elder, year=year).delete()
    HomeTask.objects.filter(resident=person, certification_year=year).delete()
    log_in(page, url, "qj_staff")  # the 12333 line at the district
    page.goto(f"{url}/staff/")
    page.click("text=接听电话")
    page.uncheck("#id_caller_is_person")
    page.fill("#id_caller", "孙子 代小军 13600003333")
    page.select_option("#id_item", "PE-002")
    page.fill("#id_name", person.name)
    page.fill("#id_id_number", person.id_number)
    page.select_option("#id_village_code", label="永新镇 · 荆山村")
    page.fill("#id_address", "荆山村3组12号")
    page.check("#id_cannot_travel")
    page.select_option("#id_task_kind", "certification")
    visit = datetime.date.today() + datetime.timedelta(days=2)
    page.fill("#id_visit_date", visit.isoformat())
    screenshot("phone-request")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/receipt/")
    number = page.url.rstrip("/").split("/")[-2]
    task = HomeTask.objects.get(case__number=number)
    assert (
        task.kind == "certification"
        and task.due_date == visit
        and task.assigned_to.username == "yongxin_cadre"
    )
    assert Case.objects.get(number=number).channel == "phone"

    # the cadre: the task in the list and in the calendar feed; done on the visit
    log_in(page, url, "yongxin_cadre")
    page.goto(f"{url}/staff/outreach/calendar/")
    feed = page.request.get(page.inner_text("#ics-url").strip()).text()
    assert "上门服务" in feed and visit.strftime("%Y%m%d") in feed  # in the cadre's calendar
    page.goto(f"{url}/staff/outreach/home-tasks/")
    item = page.locator("ul.results li", has_text=number)
    assert "荆山村3组12号" in item.inner_text()
    screenshot("phone-home-task")
    item.locator("input[name=result]").fill("上门采集指纹,认证通过")
    item.locator("button").click()
    page.wait_for_selector("text=已完成。")
    assert Certification.objects.filter(pensioner=elder, year=year, method="home_visit").exists()
