"""A cadre opens today's booth on a phone, logs two consultations and turns one into a case."""

import datetime
import re

import pytest
from django.utils import timezone

from linju.accounts.models import User
from linju.geo.models import MarketPlace
from linju.outreach.models import BoothSession, Consultation
from linju.people.idnumbers import build_id_number

ID_NUMBER = build_id_number("500222", datetime.date(1988, 4, 4), 31)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("page", ["phone"], indirect=True)
def test_cadre_at_todays_booth(demo, live_server, page, screenshot):
    cadre = User.objects.get(username="yongxin_cadre")
    market = MarketPlace.objects.get(name="升平片场")
    booth, _created = BoothSession.objects.get_or_create(market=market, date=timezone.localdate())
    booth.staff.add(cadre)
    booth.items.set(market.town.delegations.values_list("item", flat=True))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "yongxin_cadre")
    page.fill("#id_password", "linju-demo-2026")
    page.click("form.form button[type=submit]")
    page.goto(f"{live_server.url}/staff/outreach/")
    page.click(
        f"a[href='/staff/outreach/booths/{booth.pk}/']"
    )  # today's booth, at the top of "my next booth days"
    page.wait_for_selector("#consult")

    codes = []
    for item, note in (("PE-002", ""), ("UI-002", "问失业金怎么领")):
        page.select_option("#id_item_code", item)
        page.fill("#id_note", note)
        with page.expect_navigation():
            page.click("#consult button[type=submit]")
        assert "已登记。请把下面的评价凭条交给群众。" in page.inner_text("#slip")
        codes.append(page.inner_text("#slip .slip-code"))
    # each question its own slip, with the code it is rated by
    assert len(set(codes)) == 2 and all(re.fullmatch(r"ZX[0-9A-Z]{8}", c.replace(" ", "")) for c in codes)
    screenshot("booth-two-consultations")

    page.click("nav.chips >> text=医疗救助申请")
    page.fill("#id_name", "代云山")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_phone", "13512345678")
    page.select_option("#id_village_code", label="永新镇 · 荆山村")
    for handed_in in page.query_selector_all("input[type=radio][value=received]"):
        handed_in.check()
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/receipt/")
    assert "升平片场" in page.inner_text("main")

    page.goto(f"{live_server.url}/staff/outreach/booths/{booth.pk}/")
    logged = page.inner_text("ol.timeline")
    assert logged.count("\n") + 1 == 3
    screenshot("booth-after-case")
    assert Consultation.objects.filter(booth=booth).count() == 3
    assert Consultation.objects.get(booth=booth, outcome="case").case.item.code == "MD-006"
