"""A resident on a phone opens the catalogue, searches sybx, opens the item, picks their village
(town, then village: no JavaScript needed) and sees the nearest place first."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_resident_finds_the_nearest_place(demo, live_server, page, screenshot):

    page.goto(f"{live_server.url}/catalog/")
    page.fill("#id_q", "sybx")
    page.press("#id_q", "Enter")
    page.wait_for_selector("text=失业保险金申领")
    screenshot("resident-catalog-search")

    # the item's own link (the bundles above name it among their parts too)
    page.get_by_role("link", name="失业保险金申领", exact=True).click()
    page.wait_for_selector("#where")
    page.select_option("#id_town", label="永新镇")
    page.click("form.form button[type=submit]")
    page.select_option("#id_village", label="荆山村")
    page.click("form.form button[type=submit]")

    first = page.locator("ol.places > li").first
    # the town's station, or its market's booth when one is on sooner (it depends on the day)
    assert "永新镇社保服务所" in page.inner_text("ol.places")
    assert "永新" in first.inner_text()
    assert "可在此办结" in first.inner_text()
    assert "綦江区人力社保局服务大厅" in page.inner_text("ol.places")
    screenshot("resident-where")

    # The village is remembered: another item shows places straight away.
    page.goto(f"{live_server.url}/catalog/items/PE-002/")
    assert "永新镇社保服务所" in page.inner_text("ol.places")
