"""After the gig, on a phone (360 px): the cadre of 永新镇 sees the demo's gig below the wage guide with
the guide beside it, records yesterday's gig at the 升平 market paid short, and the 劳动保障监察投诉
it opens carries the gig's record; the worker's own page from the slip's link then shows the request's
number. Nothing wider than the screen."""

import pytest

from e2e.conftest import log_in
from linju.cases.models import Case
from linju.gigs.models import Dispatch
from linju.gigs.services.pay import pay_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_gig_below_the_guide_is_flagged_and_short_pay_opens_an_inspection_case(
    demo, live_server, page, screenshot
):
    log_in(page, live_server.url, "yongxin_cadre")
    page.goto(f"{live_server.url}/staff/gigs/wage-guide/")
    flagged = page.inner_text("main")
    assert "果园除草(示例)" in flagged and "低于指导价位的零工" in flagged and fits(page)
    screenshot("gig-wage-guide")

    dispatch = Dispatch.objects.select_related("gig", "worker__resident").get(gig__title="菜地翻土(示例)")
    page.goto(f"{live_server.url}/staff/gigs/pay/")
    card = page.locator("section.card", has_text="菜地翻土(示例)")
    card.locator("input[value=short]").check()
    card.locator("input[name^=amount]").fill("60")
    card.locator("button[type=submit]").click()
    case = Case.objects.get(gig_dispatch=dispatch)
    assert case.number in page.inner_text("main") and fits(page)
    assert case.item.code == "LR-001" and dispatch.gig.employer_name in case.description
    screenshot("gig-pay-recorded")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/gigs/paid/{pay_token(dispatch)}")
    page.fill("#id_last4", dispatch.worker.resident.id_last4)
    page.click("main form button[type=submit]")
    assert (
        case.number in page.inner_text("main") and "菜地翻土(示例)" in page.inner_text("main") and fits(page)
    )
    screenshot("gig-pay-worker")
