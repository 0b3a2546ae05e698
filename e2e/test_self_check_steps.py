"""The resident who did not know (45, laid off two months ago, never registered) reads, on a phone,
that they can register first and then apply for 失业保险金, and where to register nearest their
village: the market-day booth from 伏牛村."""

import pytest

from .conftest import SCREENSHOTS
from .test_public_pages import serious_violations

FUNIU = "500110113200"  # 永新镇 伏牛村, the article's village


@pytest.mark.parametrize("mode", ["standard", "elder"])
def test_the_self_check_tells_the_resident_who_did_not_know_to_register_first(
    demo, live_server, browser, mode
):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN", bypass_csp=True)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {"name": "linju_elder", "value": "1" if mode == "elder" else "0", "domain": host, "path": "/"},
            {"name": "linju_village", "value": FUNIU, "domain": host, "path": "/"},
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/self-check/")
    page.fill("#id_age", "45")
    page.select_option("#id_employment_status", "unemployed")
    page.select_option("#id_job_loss_cause", "involuntary")
    page.fill("#id_months_since_job_loss", "2")
    page.select_option("#id_registered_unemployed", "no")
    page.click("form.form:not([action]) button[type=submit]")
    benefit = page.locator("section.self-check-result li", has_text="失业保险金申领").first
    said = benefit.inner_text()
    assert "您可以:先办失业登记,再办理失业保险金申领。" in said
    assert "离永新镇伏牛村最近的是" in said and "升平片场" in said, said
    phone = benefit.locator('a[href^="tel:"]').first.bounding_box()
    line = benefit.locator('a[href^="tel:"]').first.evaluate(
        "a => parseFloat(getComputedStyle(a).lineHeight)"
    )
    assert phone["height"] < 2 * line, "the phone number is not broken across lines"
    found = serious_violations(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    benefit.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"self-check-steps-{mode}-phone.png"))
    context.close()
    assert not found and width <= 360, (found, width)
