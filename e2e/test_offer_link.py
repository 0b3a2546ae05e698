"""A resident opens the link in their offer's text on a phone (360 px): the page asks for the last four
characters of the ID number, shows the offer in plain words and three big buttons, in standard and
in elder mode; 我要办理 shows the case number and the promised date. Nothing wider than the screen."""

import pytest

from e2e.conftest import SCREENSHOTS
from e2e.test_public_pages import SMALL_TEXT, serious_violations
from linju.cases.models import Case
from linju.eligibility.models import EligibilityRule, LegalBasis
from linju.offers.tests.factories import open_offer
from linju.people.models import Resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def phone(browser):
    """A phone (360 × 640) whose pages axe-core may be injected into (as the public pages' test does)."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN", bypass_csp=True)
    yield context.new_page()
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)


def reads_well(page, *, elder: bool) -> list[str]:
    """No serious accessibility violation, nothing wider than the screen, in elder mode no small text."""
    problems = serious_violations(page)
    if not fits(page):
        problems.append("wider than the screen")
    if elder:
        problems += page.evaluate(SMALL_TEXT)[:5]
    return problems


def test_a_resident_answers_yes_on_the_link_of_the_text(demo, live_server, phone, django_user_model):
    page = phone
    dai = Resident.objects.get(name="代云峰")
    rule = EligibilityRule.objects.filter(item__code="UI-002").first()
    EligibilityRule.objects.filter(pk=rule.pk).update(
        offered=True,
        offer_zh="您可能可以领取失业保险金,每月约1,500元",
        offer_en="You may be able to claim unemployment insurance benefit",
        legal_basis=LegalBasis.STATUTORY_DUTY,
    )
    rule.refresh_from_db()
    offer = open_offer(dai, rule, django_user_model.objects.get(username="qj_staff"))
    url = f"{live_server.url}/o/{offer.token}"

    page.goto(url)
    assert "身份证号码后四位" in page.inner_text("main") and "代云峰" not in page.content()
    assert reads_well(page, elder=False) == []
    screenshot(page, "offer-link-ask")
    page.fill("#id_last4", "0000" if dai.id_last4 != "0000" else "1111")
    page.click("main form button[type=submit]")
    assert "后四位不对" in page.inner_text("main")
    page.fill("#id_last4", dai.id_last4.lower())
    page.click("main form button[type=submit]")
    main = page.inner_text("main")
    assert "您可能可以领取失业保险金" in main and "代云峰" not in main
    assert all(
        page.is_visible(f"button:has-text('{label}')") for label in ("我要办理", "不需要", "请人上门帮我")
    )
    assert reads_well(page, elder=False) == []
    screenshot(page, "offer-link-offer")

    page.click("header .elder-switch button")  # elder mode: back on the page, the four characters again
    page.wait_for_url(url)
    page.fill("#id_last4", dai.id_last4)
    page.click("main form button[type=submit]")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    heights = page.eval_on_selector_all(
        ".answers button", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert len(heights) == 3 and min(heights) >= 56
    assert reads_well(page, elder=True) == []
    screenshot(page, "offer-link-offer-elder")

    page.click("button:has-text('我要办理')")
    case = Case.objects.get(applicant=dai, item__code="UI-002", channel="offer")
    main = page.inner_text("main")
    assert case.number in main and "承诺答复" in main
    assert case.promised_date is None or case.promised_date.isoformat() in main
    assert reads_well(page, elder=True) == []
    screenshot(page, "offer-link-answered-elder")
