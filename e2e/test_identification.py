"""At 360 px a cadre takes a case identifying the person each way, through the stand-ins: the ID card
and the 社保卡 on the reader, the e-card's code, by hand with the reason; a reader that does not answer
asks for the reason and then takes the case. The field app checks an e-card's code online and queues
only the receipt, and with no signal takes the person by hand with the reason. No code is kept."""

import datetime

import pytest

from e2e.conftest import log_in, server_paused
from e2e.test_field_app import open_field, pending, sent_all
from linju.cases.models import Case
from linju.identity.models import Identification
from linju.people.idnumbers import build_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def details(page, url, name, id_number):
    page.goto(f"{url}/staff/cases/new/?item=UI-002&channel=booth&place=market:satellite-500110113000")
    page.fill("#id_name", name)
    page.fill("#id_id_number", id_number)
    page.select_option("#id_village_code", label="永新镇 · 荆山村")
    for handed_in in page.query_selector_all("input[type=radio][value=received]"):
        handed_in.check()


def fits_the_phone(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_each_way_of_identifying_at_the_booth(demo, live_server, page, screenshot):
    log_in(page, live_server.url, "yongxin_cadre")
    ways = [
        ("id_card_reader", "booth-7", ""),
        ("social_card", "booth-7", ""),
        ("ecard", "booth-7", "DEMO-ECARD:{id}:scan-5e1d"),
        ("by_hand", "booth-7", ""),
    ]
    for serial, (method, terminal, qr) in enumerate(ways, start=31):
        id_number = build_id_number("500222", datetime.date(1971, 5, 6), serial)
        details(page, live_server.url, "蒋明华", id_number)
        page.check(f"input[name=identification_method][value={method}]")
        page.fill("#id_identification_terminal", terminal)
        if qr:
            page.fill("#id_identification_qr", qr.format(id=id_number))
        if method == "by_hand":
            page.fill("#id_identification_reason", "老人未带卡，看了户口簿原件")
        if serial == 31:
            screenshot("identification-at-the-booth")
            fits_the_phone(page)
        page.click("form.form button[type=submit]")
        page.wait_for_url("**/receipt/")
        number = page.url.rstrip("/").split("/")[-2]
        with server_paused():
            kept = Identification.objects.get(reference=number)
        assert (kept.method, kept.terminal) == (method, terminal)
        assert kept.result == ("not_checked" if method == "by_hand" else "valid")

    # the reader does not answer: the page asks for the reason, keeps everything typed, then takes it
    id_number = build_id_number("500222", datetime.date(1971, 5, 6), 40)
    details(page, live_server.url, "蒋明华", id_number)
    page.check("input[name=identification_method][value=id_card_reader]")
    page.fill("#id_identification_terminal", "booth-7-down")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#identification .error")
    assert "手工核验" in page.inner_text("#identification")
    assert page.input_value("#id_id_number") == id_number
    screenshot("identification-reader-down")
    fits_the_phone(page)
    page.fill("#id_identification_reason", "读卡器无响应，核对了身份证原件")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/receipt/")
    with server_paused():
        kept = Identification.objects.order_by("-pk").first()
        assert (kept.method, kept.result, kept.reason) == (
            "id_card_reader",
            "unreachable",
            "读卡器无响应，核对了身份证原件",
        )

    # an expired e-card code is refused in words, and the code is not written back into the page
    details(page, live_server.url, "蒋明华", id_number)
    page.check("input[name=identification_method][value=ecard]")
    assert page.input_value("#id_identification_terminal") == "booth-7-down"  # the terminal named last
    page.fill("#id_identification_terminal", "booth-7")
    page.fill("#id_identification_qr", f"DEMO-ECARD:{id_number}:expired")
    page.click("form.form button[type=submit]")
    page.wait_for_selector("#identification .error")
    assert "过有效期" in page.inner_text("#identification")
    assert page.input_value("#id_identification_qr") == ""
    with server_paused():
        assert Case.objects.filter(applicant__id_number=id_number).count() == 1


def test_the_field_app_checks_an_e_card_online_and_takes_by_hand_offline(demo, live_server, page, screenshot):
    log_in(page, live_server.url, "yongxin_cadre")
    open_field(page, live_server.url)
    id_number = build_id_number("500222", datetime.date(1968, 9, 9), 41)
    page.select_option("#f-place", label="永新镇 · 升平片场")
    page.select_option("#f-item", "UI-002")
    page.fill("#f-name", "程大勇")
    page.fill("#f-id", id_number)
    page.select_option("#f-village", label="永新镇 · 荆山村")
    for box in page.query_selector_all("#f-materials input[name=material]"):
        box.check()
    page.check("input[name=f-method][value=ecard]")
    page.fill("#f-terminal", "phone-yx-2")
    page.fill("#f-qr", f"DEMO-ECARD:{id_number}:scan-77aa")
    screenshot("identification-field-app")
    fits_the_phone(page)
    page.click("#intake button[type=submit]")
    page.wait_for_selector("#receipt:not([hidden])")  # online: kept, then sent at once
    sent_all(page)
    with server_paused():
        kept = Identification.objects.get(resident__id_number=id_number)
    assert (kept.method, kept.result, kept.terminal) == ("ecard", "valid", "phone-yx-2")
    stored = page.evaluate(
        "async () => JSON.stringify(await (await window.LinjuQueue.open()).getAll('sent'))"
    )
    assert "scan-77aa" not in stored

    # no signal: the e-card cannot be checked, so the person is taken by hand with the reason
    page.context.set_offline(True)
    other = build_id_number("500222", datetime.date(1968, 9, 9), 42)
    page.fill("#f-name", "程小勇")
    page.fill("#f-id", other)
    for box in page.query_selector_all("#f-materials input[name=material]"):
        box.check()
    page.check("input[name=f-method][value=ecard]")
    page.fill("#f-qr", f"DEMO-ECARD:{other}:scan-88bb")
    page.click("#intake button[type=submit]")
    page.wait_for_selector("#f-error:not([hidden])")
    assert "没有信号" in page.inner_text("#f-error")
    page.fill("#f-id-reason", "没有信号，核对了身份证原件")
    waiting = pending(page)
    page.click("#intake button[type=submit]")
    page.wait_for_function(f"() => +document.querySelector('#pending').textContent === {waiting + 1}")
    queued = page.evaluate(
        "async () => JSON.stringify(await (await window.LinjuQueue.open()).getAll('queue'))"
    )
    assert "scan-88bb" not in queued
    page.context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    sent_all(page)
    with server_paused():
        kept = Identification.objects.get(resident__id_number=other)
    assert (kept.method, kept.result, kept.reason) == ("by_hand", "not_checked", "没有信号，核对了身份证原件")
