"""A resident opens their own page (我的) on a phone (360 px): the phone the bureau holds and the last
four characters of the ID number, the texted code, and the page: cases, who may act for them, what
they agreed to and who looked at their record; they withdraw an authorisation, in elder mode too.
Nothing wider than the screen, no serious accessibility violation, no script needed to read it."""

import pytest

from e2e.test_offer_link import fits, reads_well, screenshot
from linju.audit.events import resident_record_viewed_event
from linju.audit.models import AuditEvent
from linju.consent.models import Authorisation
from linju.core.request_context import RequestContext
from linju.notify.models import OutboxMessage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser):
    """A phone (360 × 640), without JavaScript: the page reads and works with plain forms."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, locale="zh-CN", bypass_csp=True, java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_a_resident_reads_their_page_and_withdraws_an_authorisation(
    demo, live_server, phone, django_user_model
):
    page = phone
    given = (
        Authorisation.objects.filter(agent_kind="family", status="active").select_related("principal").first()
    )
    person = given.principal
    cadre = django_user_model.objects.get(username="yongxin_cadre")
    resident_record_viewed_event(actor=cadre, resident=person, context=RequestContext(ip="10.0.0.1"))

    page.goto(f"{live_server.url}/my/")
    assert "身份证号码后四位" in page.inner_text("main") and fits(page)
    page.fill("#id_phone", person.phone)
    page.fill("#id_last4", person.id_last4)
    page.click("main form button[type=submit]")
    assert "验证码" in page.inner_text("main")
    code = (
        OutboxMessage.objects.filter(purpose="my_page_code", phone=person.phone).latest("pk").params["code"]
    )
    page.fill("#id_code", code)
    page.click("main form button[type=submit]")

    main = page.inner_text("main")
    assert person.name in main and "谁查看过我的档案" in main and "谁可以为我代办" in main
    looks = page.eval_on_selector_all("[data-event]", "els => els.map(e => +e.dataset.event)")
    assert AuditEvent.objects.filter(object_type="resident", object_id=str(person.pk)).first().pk in looks
    assert "yongxin_cadre" not in page.content() and "永新镇" in main
    screenshot(page, "my-page")

    page.click("header .elder-switch button")
    assert page.evaluate("document.documentElement.classList.contains('elder')")
    assert fits(page)
    screenshot(page, "my-page-elder")
    withdraw = f"form[action$='/my/authorisations/{given.pk}/withdraw/']"
    page.locator("details.action-form", has=page.locator(withdraw)).locator("summary").click()
    screenshot(page, "my-page-withdraw-asked")
    page.click(f"{withdraw} button")
    assert "已撤回" in page.inner_text("main")
    given.refresh_from_db()
    assert (given.status, given.withdrawn_via) == ("withdrawn", "my_page")
    assert fits(page)


def test_the_page_reads_well_in_both_modes(demo, live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/my/")
    assert reads_well(page, elder=False) == []
    context.close()
