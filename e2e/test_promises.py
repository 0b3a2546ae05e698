"""At a booth, on a phone: a name typed that is not the one registered for the ID number stops the
intake with both names (the registered one masked) and nothing typed lost; taken under the registered
name with a paper missing, the receipt promises working days after the paper comes, no date, and
links the one-time notice; the text goes to the phone given at the booth."""

import pytest

from e2e.conftest import log_in
from linju.cases.models import Case
from linju.notify.models import OutboxMessage
from linju.people.models import Resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_wrong_name_stops_the_booth_intake_and_the_receipt_promises_no_date(
    demo, live_server, page, screenshot
):
    dai = Resident.objects.get(name="代云峰")
    url = live_server.url
    log_in(page, url, "yongxin_cadre")
    page.goto(f"{url}/staff/cases/new/")
    page.select_option("#id_item", "AS-001")
    page.check("input[name=channel][value=booth]")
    page.select_option("#id_place", label="永新镇 · 升平片场")
    page.click("form.form button[type=submit]")
    page.fill("#id_name", "王小明")
    page.fill("#id_id_number", dai.id_number)
    page.fill("#id_phone", "13800002222")
    page.select_option("#id_village_code", label="永新镇 · 荆山村")
    choices = [
        c for c in page.query_selector_all("fieldset.choices") if c.query_selector("input[value=received]")
    ]  # the materials'
    for index, choice in enumerate(choices):
        choice.query_selector("input[value=%s]" % ("missing" if index == 0 else "received")).check()
    page.fill("#id_description", "家里突发大病")
    page.click("form.form button[type=submit]")

    alert = page.inner_text("#name-differs")
    assert "王小明" in alert and "代*峰" in alert and "代云峰" not in page.content()
    assert (
        page.input_value("#id_id_number") == dai.id_number
        and page.input_value("#id_description") == "家里突发大病"
    )
    assert page.is_checked("fieldset.choices:has(input[value=missing]) >> nth=0 >> input[value=missing]")
    screenshot("promises-name-differs")
    assert not Case.objects.filter(applicant=dai, item__code="AS-001").exists()

    page.click("button[name=registered_name][value='1']")
    page.wait_for_url("**/receipt/")
    receipt = page.inner_text("main")
    assert "补齐材料后 3 个工作日内答复" in receipt and "138****2222" in receipt
    case = Case.objects.get(applicant=dai, item__code="AS-001")
    assert case.promised_date.strftime("%Y年%-m月%-d日") not in receipt
    screenshot("promises-receipt-paused")
    page.click("text=详见一次性告知书")
    page.wait_for_url("**/notice/")
    assert "居民身份证原件" in page.inner_text("main")
    assert set(
        OutboxMessage.objects.filter(reference__startswith=case.number).values_list("phone", flat=True)
    ) == {"13800002222"}
