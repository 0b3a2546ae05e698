"""A cadre of 永新镇 logs in, finds a resident of 荆山村 by pinyin initials, sees the ID masked,
and cannot open a resident of 东溪镇."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cadre_finds_resident_by_initials_and_is_kept_to_their_town(
    live_server, page, screenshot, towns_and_staff
):
    dai, zhou = towns_and_staff.dai, towns_and_staff.zhou

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "yongxin_cadre")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/staff/")
    assert "永新镇" in page.inner_text("main")

    page.goto(f"{live_server.url}/staff/residents/")
    page.fill("#id_q", "dyf")
    page.press("#id_q", "Enter")
    page.wait_for_selector("text=代云峰")
    results = page.inner_text("#results")
    assert dai.masked_id_number in results
    assert dai.id_number not in page.content()
    assert "周开明" not in results
    screenshot("cadre-search")

    page.click("text=代云峰")
    page.wait_for_selector("#id-number")
    assert page.inner_text("#id-number") == dai.masked_id_number
    assert "荆山村" in page.inner_text("main")
    screenshot("cadre-record")

    response = page.goto(f"{live_server.url}/staff/residents/{zhou.pk}/")
    assert response.status == 404
    assert "周开明" not in page.content()
    screenshot("cadre-other-town")


def test_public_home_lists_towns_and_is_light(demo, live_server, page, screenshot, db):
    transferred = []
    page.on("response", lambda r: transferred.append(len(r.body())) if r.ok else None)
    page.goto(f"{live_server.url}/")
    assert page.locator("table.towns tbody tr").count() == 31
    assert "东溪镇社保服务所" in page.inner_text("main")
    assert sum(transferred) < 150_000
    screenshot("public-home")
