"""An offer (免申即享) answered on a phone, 360 px wide, both ways the issue asks for:

- the resident opens the link of the offer's text, types the last four characters of the ID number,
  answers yes, and sees the case number and the promised date (the link opened again shows the same
  case: one case);
- a cadre at a market-day booth opens the field app, loses the signal, records two residents'
  answers with one tap each, and once the signal is back each answer arrives once, even when the
  reply to the first is lost on the way and the phone sends it again (an answer tapped by mistake
  is taken back before it goes).

Every step is photographed (var/screenshots/offer-*-phone.png), fits the screen's width, and has
nothing to tap smaller than a thumb (44 px)."""

import re

import pytest
from django.db.models import Q
from django.utils import timezone

from e2e.conftest import SCREENSHOTS, log_in, server_paused
from e2e.test_field_app import open_field, sent_all
from e2e.test_public_pages import SMALL_TEXT, serious_violations
from linju.accounts.models import User
from linju.cases.models import Case
from linju.catalog.models import ServiceItem
from linju.eligibility.models import EligibilityRule, LegalBasis
from linju.field.selectors import field_bundle
from linju.geo.models import MarketPlace
from linju.offers.models import Offer
from linju.offers.tests.factories import open_offer
from linju.outreach.models import BoothSession
from linju.people.models import Resident

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 640}
THUMB = 44
# every control a finger may need on the page: buttons, fields, the menu's and elder mode's switches
TOO_SMALL = """(thumb) => Array.from(new Set(Array.from(document.querySelectorAll(
    'button, input:not([type=hidden]), select, textarea, summary'))
  .filter((el) => el.getClientRects().length)
  .map((el) => el.closest('label') || el)))  // a box or a radio is tapped by its label
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([, box]) => box.height < thumb || box.width < thumb)
  .map(([el, box]) => `${el.tagName}#${el.id}.${el.className} ${Math.round(box.width)}x${Math.round(box.height)}: ${(el.textContent || el.value || '').trim().slice(0, 20)}`)"""


@pytest.fixture
def phone(browser):
    """A phone that may have axe-core injected (the pages' own policy would refuse it)."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    yield context.new_page()
    context.close()


def photograph(page, name: str, *, at: str = "") -> None:
    """The whole page; or, `at` a part of a long page, the screen the cadre sees there."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if at:
        page.eval_on_selector(at, "el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=not at)


def reads_well(page, *, elder: bool = False) -> list[str]:
    """Nothing wider than the screen, nothing to tap under a thumb's size, no serious accessibility
    fault; in elder mode no text under 20 px."""
    problems = serious_violations(page)
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        problems.append("wider than the screen")
    problems += page.evaluate(TOO_SMALL, THUMB)
    if elder:
        problems += page.evaluate(SMALL_TEXT)[:5]
    return problems


def offered(item_code: str) -> EligibilityRule:
    """One of the demo's rules for the item, marked as one the bureau offers (by update: a rule
    saved is a rule edited, re-run at night)."""
    rule = EligibilityRule.objects.filter(item__code=item_code).order_by("pk").first()
    EligibilityRule.objects.filter(pk=rule.pk).update(
        offered=True,
        offer_zh="您可能可以领取失业保险金,每月约1,500元",
        offer_en="You may be able to claim unemployment insurance benefit",
        legal_basis=LegalBasis.STATUTORY_DUTY,
    )
    rule.refresh_from_db()
    return rule


def without_the_item(people, item_code: str):
    """Residents with no case of the item and no offer of it standing: a yes makes a new case."""
    return people.exclude(
        Q(cases__item__code=item_code) | Q(offers__item__code=item_code, offers__status__in=Offer.STILL_OPEN)
    ).order_by("pk")


def test_a_resident_answers_yes_on_the_link_and_sees_the_case_and_its_promised_date(demo, live_server, phone):
    page = phone
    rule = offered("UI-002")
    resident = without_the_item(Resident.objects.filter(village__town__name="永新镇"), "UI-002").first()
    offer = open_offer(resident, rule, User.objects.get(username="qj_staff"))
    link = f"{live_server.url}/o/{offer.token}"

    page.goto(link)
    assert "身份证号码后四位" in page.inner_text("main") and resident.name not in page.content()
    assert reads_well(page) == []
    photograph(page, "offer-journey-1-link")
    page.fill("#id_last4", resident.id_last4)
    page.click("main form button[type=submit]")
    main = page.inner_text("main")
    assert "您可能可以领取失业保险金" in main and resident.name not in main
    assert reads_well(page) == []
    photograph(page, "offer-journey-2-offer")

    # elder mode: the switch goes back to the page, the four characters again, bigger everything
    page.click("header .elder-switch button")
    page.wait_for_url(link)
    page.fill("#id_last4", resident.id_last4)
    page.click("main form button[type=submit]")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert reads_well(page, elder=True) == []
    photograph(page, "offer-journey-3-offer-elder")

    page.click("button:has-text('我要办理')")
    page.wait_for_selector("main .notice")
    case = Case.objects.get(applicant=resident, item__code="UI-002")
    assert case.channel == "offer" and case.promised_date is not None
    main = page.inner_text("main")
    assert case.number in main and case.promised_date.isoformat() in main and "承诺答复" in main
    assert reads_well(page, elder=True) == []
    photograph(page, "offer-journey-4-answered-elder")

    # the link opened again (the text read twice): the same case, not a second
    page.goto(link)
    page.fill("#id_last4", resident.id_last4)
    page.click("main form button[type=submit]")
    assert case.number in page.inner_text("main") and not page.is_visible("button:has-text('我要办理')")
    assert Case.objects.filter(applicant=resident, item__code="UI-002").count() == 1


def offer_row(page, offer: Offer):
    return page.locator(f"#offer-list li[data-offer='{offer.pk}']")


def test_a_cadre_at_a_booth_records_answers_offline_with_one_tap_and_each_arrives_once(
    demo, live_server, phone
):
    page, context = phone, phone.context
    url = live_server.url
    cadre = User.objects.get(username="yongxin_cadre")
    market = MarketPlace.objects.get(name="升平片场")
    # the demo's plan may already hold today's booth there (升平片场 meets 逢一四七)
    booth, _ = BoothSession.objects.get_or_create(
        market=market, date=timezone.localdate(), defaults={"status": "planned"}
    )
    booth.staff.add(cadre)
    rule = offered("UI-002")
    staff = User.objects.get(username="qj_staff")
    # two people of the villages 升平 serves come to the booth
    people = without_the_item(Resident.objects.filter(village__market_places=market), "UI-002")
    wants, needs_help, *others = people[:8]
    first, second = (open_offer(person, rule, staff) for person in (wants, needs_help))
    for person in others:  # and a few more wait for an answer there
        open_offer(person, rule, staff)
    # with the demo's own offers there and in the villages of the cadre's home visits
    waiting = len(field_bundle(viewer=cadre)["offers"])
    ui = ServiceItem.objects.get(code="UI-002")

    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    assert page.is_checked("input[name=o-channel][value=booth]")  # a booth today: heard at the booth
    assert wants.id_number not in page.content()  # names and masked numbers only
    # a few rows until the cadre searches: the form to take requests stays near the top
    assert page.locator("#offer-list li").count() == min(waiting, 5)
    assert waiting <= 5 or f"共 {waiting} 人" in page.inner_text("#o-more")
    photograph(page, "offer-field-1-list", at="#offers")

    context.set_offline(True)
    page.fill("#o-find", wants.name)
    row = offer_row(page, first)
    row.wait_for()  # the list is drawn again as the name is typed
    assert wants.id_number[-4:] in row.inner_text()
    assert reads_well(page) == []
    row.locator("button[data-answer=yes]").click()  # one tap
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")
    assert "已记录:要办理 · 待发送" in row.inner_text()
    assert row.locator("button[data-answer]").count() == 0  # no second answer to tap by mistake
    photograph(page, "offer-field-2-offline-yes", at="#offers")
    page.fill("#o-find", needs_help.id_number[-4:])
    offer_row(page, second).locator("button[data-answer=no]").click()  # the wrong one: taken back
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 2")
    offer_row(page, second).locator("button[data-action=take-back]").click()
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")
    offer_row(page, second).locator("button[data-answer=help]").click()
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 2")
    page.reload()  # still offline: the app from the service worker, the answers from the phone's store
    page.evaluate("() => window.LinjuField.ready")
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 2")
    with server_paused():
        assert not Case.objects.filter(applicant=wants, item=ui).exists()
    page.fill("#o-find", wants.name)
    assert "待发送" in offer_row(page, first).inner_text()
    photograph(page, "offer-field-3-offline-after-reload", at="#offers")

    # the signal comes back; the reply to the first answer is lost on the way: the server holds the
    # case, the phone never hears so, and sends the same answer again
    dropped = {"done": False}

    def drop_once(route):
        if not dropped["done"] and route.request.url.endswith(f"/offers/{first.pk}/answer"):
            dropped["done"] = True
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    context.route("**/api/v1/offers/*/answer", drop_once)
    context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    page.wait_for_function("() => !window.LinjuField.busy()")
    assert dropped["done"]
    # the page (its "online" event, or the button) or the service worker sends it again, by now or next
    page.click("#send-now")
    sent_all(page)
    page.evaluate("() => window.LinjuField.sync()")
    sent_all(page)

    with server_paused():
        cases = list(Case.objects.filter(applicant=wants, item=ui))
        first.refresh_from_db()
        second.refresh_from_db()
    assert len(cases) == 1 and cases[0].channel == "offer" and first.case_id == cases[0].pk
    assert (first.status, first.answered_via, first.answered_by_id) == ("confirmed", "booth", cadre.pk)
    assert (second.status, second.answered_via) == ("help", "booth") and second.home_task_id
    assert not Case.objects.filter(applicant=needs_help, item=ui).exists()
    # the row says what the server made of it: the case's number and promised date
    page.fill("#o-find", wants.name)
    said = offer_row(page, first).inner_text()
    assert cases[0].number in said and cases[0].promised_date.isoformat() in said
    assert re.search(r"已记录:需要帮忙 · 已同步", page.inner_text("#sent-list"))
    assert reads_well(page) == []
    photograph(page, "offer-field-4-sent", at="#offers")
