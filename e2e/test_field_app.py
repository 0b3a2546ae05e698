"""The field app takes requests with no signal and loses nothing. At 360 × 640, on SQLite
and PostgreSQL: offline intake survives a reload; back online, each record arrives exactly once with
the promised date shown offline; a sync whose connection drops in the middle still delivers once;
logging out wipes the phone. And the device counts working days as the server does."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageDraw

from e2e.conftest import log_in, open_menu, server_paused
from linju.accounts.models import User
from linju.cases.models import Case, CasePhoto
from linju.field.selectors import _calendar
from linju.geo.models import MarketPlace
from linju.outreach.models import BoothSession, Consultation
from linju.people.idnumbers import build_id_number
from linju.workdays.selectors import calendar

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WORKDAYS_JS = Path(settings.BASE_DIR) / "static" / "field" / "workdays.js"


def open_field(page, url):
    page.goto(f"{url}/field/")
    page.evaluate("() => window.LinjuField.ready")
    page.wait_for_function("() => document.querySelector('#f-item').options.length > 0")
    page.evaluate("() => navigator.serviceWorker.ready")


def take(page, name, id_number, *, place="永新镇 · 升平片场", item="UI-002", tick=True, photo=None):
    if place is not None:  # None: the place the form holds (the one chosen for the last person)
        page.select_option("#f-place", label=place)
    page.select_option("#f-item", item)
    if photo is not None:  # the camera, for the first material
        page.set_input_files("#f-p0", files=[{"name": "id.jpg", "mimeType": "image/jpeg", "buffer": photo}])
    page.fill("#f-name", name)
    page.fill("#f-id", id_number)
    page.select_option("#f-village", label="永新镇 · 荆山村")
    if tick:
        for box in page.query_selector_all("#f-materials input[name=material]"):
            box.check()
    waiting = pending(page)
    page.click("#intake button[type=submit]")
    page.wait_for_function(f"() => +document.querySelector('#pending').textContent === {waiting + 1}")
    return page.inner_text("#receipt-body")


def sent_all(page) -> None:
    """Nothing waits, and neither the page nor the service worker is still sending (their lock)."""
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 0")
    page.wait_for_function(
        "async () => { const s = await navigator.locks.query(); return !s.held.length && !s.pending.length; }"
    )


def pending(page) -> int:
    return int(page.inner_text("#pending"))


def a_photo_of_a_paper() -> bytes:
    """A phone camera's picture: 2400 × 1800, far more than the server wants."""
    picture = Image.new("RGB", (2400, 1800), (240, 235, 220))
    draw = ImageDraw.Draw(picture)
    for y in range(0, 1800, 40):
        draw.line([(100, y), (2300, y)], fill=(40, 40, 40), width=3)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_offline_requests_arrive_once_after_a_reload_and_a_dropped_sync(demo, live_server, page, screenshot):
    url = live_server.url
    cadre = User.objects.get(username="yongxin_cadre")
    # the demo's plan may already hold today's booth there (升平片场 meets 逢一四七)
    booth, _ = BoothSession.objects.get_or_create(
        market=MarketPlace.objects.get(name="升平片场"),
        date=timezone.localdate(),
        defaults={"status": "planned"},
    )
    booth.staff.add(cadre)
    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    before = Case.objects.count()
    context = page.context
    context.set_offline(True)
    # 1. a new person; 2. with a photo of her ID card; 3. only a question at the booth
    first = take(page, "代明华", build_id_number("500222", datetime.date(1968, 5, 6), 31))
    photo = a_photo_of_a_paper()
    second = take(
        page,
        "代春兰",
        build_id_number("500222", datetime.date(1955, 2, 14), 44),
        item="MD-006",
        tick=False,
        photo=photo,
    )
    page.select_option("#f-place", label="永新镇 · 升平片场")
    page.select_option("#f-item", "PE-002")
    page.check("#f-consult")
    page.fill("#f-note", "问养老金认证怎么办")
    page.click("#intake button[type=submit]")
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 3")
    assert "受理号待同步" in first and "材料照片 1 张" in second
    promised_offline = re.findall(r"承诺 (\d{4}-\d{2}-\d{2})", page.inner_text("#queue-list"))
    screenshot("field-offline-queue")
    page.reload()  # still offline: the service worker serves the app, IndexedDB the queue
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 3")
    assert Case.objects.count() == before

    context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    sent_all(page)
    with server_paused():
        taken = list(Case.objects.order_by("-pk")[:2])
        assert Case.objects.count() == before + 2
    assert sorted(c.promised_date.isoformat() for c in taken) == sorted(promised_offline)
    assert all(c.idempotency_key.startswith("field-") for c in taken)
    kept = CasePhoto.objects.get(case__applicant__name="代春兰")
    with kept.image.open("rb") as stored:
        data = stored.read()
    assert (
        len(data) <= 250 * 1024 and max(Image.open(io.BytesIO(data)).size) == 1600 and len(data) < len(photo)
    )
    assert (
        Consultation.objects.filter(booth=booth, item__code="PE-002", note="问养老金认证怎么办").count() == 1
    )
    screenshot("field-sent")

    # the connection drops in the middle of a sync: the first POST reaches the server, its answer
    # never comes back; the retry gets the same case
    context.set_offline(True)
    take(page, "代国富", build_id_number("500222", datetime.date(1972, 11, 1), 52))
    dropped = {"done": False}

    def drop_once(route):
        if not dropped["done"]:
            dropped["done"] = True
            route.fetch()  # the server stores it
            route.abort("connectionreset")  # the phone hears nothing
        else:
            route.continue_()

    # on the context, not the page: the service worker's own background send (its "sync" event,
    # when the signal comes back) may be the one that goes first, and it is dropped just the same
    context.route("**/api/v1/cases", drop_once)
    context.set_offline(False)  # the "online" event starts a sync, which the drop cuts short
    page.evaluate("() => window.LinjuField.sync()")
    page.wait_for_function("() => !window.LinjuField.busy()")
    assert dropped["done"] and pending(page) == 1  # kept: the phone never heard back
    with server_paused():
        assert Case.objects.filter(applicant__name="代国富").count() == 1  # though the server holds it
    page.click("#send-now")
    sent_all(page)
    # the receipt on the screen now gives the real number and the server's date
    page.wait_for_function("() => document.querySelector('#receipt-body').textContent.includes('(已同步)')")
    assert re.search(r"受理号 QJ-\d{8}-\d{4}", page.inner_text("#receipt-body"))
    with server_paused():
        assert Case.objects.filter(applicant__name="代国富").count() == 1

    # logging out wipes what the phone kept
    context.unroute("**/api/v1/cases")
    kept = page.evaluate("async () => (await indexedDB.databases()).map(d => d.name)")
    assert "linju-field" in kept
    open_menu(page)
    page.click("header form[action$='/accounts/logout/'] button")
    page.wait_for_load_state()
    stores = page.evaluate(
        "async () => { const dbs = await indexedDB.databases(); return dbs.map(d => d.name); }"
    )
    assert "linju-field" not in stores


def chosen(page, selector: str) -> str:
    return page.eval_on_selector(selector, "s => s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].text")


def test_a_busy_booth_takes_one_person_after_another(demo, live_server, page, screenshot):
    """Two people in a row at the 升平片场 booth, with no signal: after 受理 the receipt is where the
    cadre looks, the booth stays chosen (across a reload too), "下一位" empties only the person; a
    request with no material and no reason is stopped on the phone; the agent (代办人) and a paper
    marked 缺 reach the server with the case, once."""
    url = live_server.url
    booth = "永新镇 · 升平片场"
    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    before = Case.objects.count()
    page.context.set_offline(True)
    page.select_option("#f-place", label=booth)
    page.select_option("#f-item", "UI-002")
    materials = page.eval_on_selector_all(
        "#f-materials input[name=material]", "boxes => boxes.map(b => b.value)"
    )
    assert len(materials) >= 2
    page.fill("#f-name", "代明秀")
    page.fill("#f-id", build_id_number("500222", datetime.date(1970, 3, 8), 24))
    page.select_option("#f-village", label="永新镇 · 荆山村")
    page.click("#intake button[type=submit]")  # nothing marked, no reason: stopped on the phone
    assert "缺" in page.inner_text("#f-error") and pending(page) == 0
    page.check("#f-m0")
    page.check("#f-x1")  # the second paper is missing
    page.click("#f-agent summary")
    page.fill("#f-agent-name", "代小红")
    page.fill("#f-agent-id", build_id_number("500222", datetime.date(1995, 6, 1), 22))
    page.select_option("#f-agent-relation", "child")
    page.fill("#f-agent-phone", "13983000001")
    page.check("#f-agent-texts")
    page.check("#f-agent-authorise")  # the person signs the authorisation (委托书) at the booth
    page.click("#intake button[type=submit]")
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")

    # the receipt is on the screen, its first line (the provisional number) in full
    height = page.viewport_size["height"]
    top = page.locator("#receipt").bounding_box()["y"]
    number = page.locator("#receipt-body p").first.bounding_box()
    assert 0 <= top and number["y"] + number["height"] <= height, (top, number)
    receipt = page.inner_text("#receipt-body")
    assert "临时编号 待-" in receipt and "代办人:代**" in receipt and f"缺:{materials[1]}" in receipt
    assert "补齐材料后" in receipt and "承诺在" not in receipt  # the clock waits for the paper: no date
    assert re.search(r"受理时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}\n", receipt + "\n")
    screenshot("field-booth-receipt")
    # the booth and the item stay; nothing of the person does
    assert chosen(page, "#f-place") == booth and page.input_value("#f-item") == "UI-002"
    for field in ("#f-name", "#f-id", "#f-agent-name", "#f-agent-id", "#f-agent-phone"):
        assert page.input_value(field) == "", field
    assert not page.is_checked("#f-m0") and not page.is_checked("#f-x1")

    page.click("#next-person")
    assert page.is_hidden("#receipt")
    page.fill("#f-name", "不是这位")
    page.click("#f-next")  # 下一位 in the form: the person goes, the booth stays
    assert page.input_value("#f-name") == "" and chosen(page, "#f-place") == booth
    page.reload()  # still offline: the booth is remembered on the phone for today
    page.evaluate("() => window.LinjuField.ready")
    page.wait_for_function("() => document.querySelector('#f-place').options.length > 0")
    assert chosen(page, "#f-place") == booth
    second = take(page, "代建国", build_id_number("500222", datetime.date(1958, 9, 9), 35), place=None)
    assert "临时编号" in second and "承诺在 " in second
    top = page.locator("#receipt").bounding_box()["y"]
    assert 0 <= top < height / 2
    screenshot("field-booth-second")

    page.context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    sent_all(page)
    page.evaluate("() => window.LinjuField.sync()")
    page.wait_for_function("() => document.querySelector('#receipt-body').textContent.includes('(已同步)')")
    with server_paused():
        assert Case.objects.count() == before + 2
        first = Case.objects.get(applicant__name="代明秀")
        again = Case.objects.get(applicant__name="代建国")
    assert (first.agent_name, first.agent_relation, first.texts_to_agent) == ("代小红", "child", True)
    assert first.materials_received == [materials[0]] and first.materials_missing == [materials[1]]
    assert first.status == Case.Status.SUSPENDED
    for case in (first, again):
        assert case.taken_at_market.name == "升平片场" and case.channel == "booth"
    assert again.materials_received == materials and not again.agent_name
    screenshot("field-booth-sent")


def test_the_device_counts_working_days_as_the_server_does(browser):
    """Around the 2025 and 2026 Spring Festivals and National Days (with their 调休 weekends)."""
    page = browser.new_page()
    page.set_content("<!doctype html><title>t</title>")
    page.add_script_tag(content=WORKDAYS_JS.read_text())
    held = calendar()
    checked = 0
    for today in (
        datetime.date(2025, 1, 20),
        datetime.date(2025, 9, 22),
        datetime.date(2026, 2, 9),
        datetime.date(2026, 9, 21),
    ):
        cal = _calendar(today)
        starts = [today + datetime.timedelta(days=n) for n in range(0, 21)]
        cases = [(start.isoformat(), count) for start in starts for count in (0, 1, 3, 5, 7, 10, 20)]
        device = page.evaluate(
            "([cal, cases]) => cases.map(([s, n]) => window.LinjuWorkdays.addWorkingDays(cal, s, n))",
            [json.loads(json.dumps(cal)), cases],
        )
        for (start, count), answer in zip(cases, device, strict=True):
            server = held.add_working_days(datetime.date.fromisoformat(start), count)
            assert answer["date"] == server.date.isoformat(), (start, count)
            assert answer["estimated"] == server.estimated, (start, count)
            checked += 1
    assert checked == 4 * 21 * 7
    page.close()


def test_what_the_server_refuses_comes_back_as_a_list_to_decide_on(demo, live_server, page, screenshot):
    """A request the server cannot take (a wrong check digit typed at the booth) is neither lost nor
    retried for ever: it waits in "needs your decision" with the server's words, across reloads."""
    url = live_server.url
    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    page.context.set_offline(True)
    good = build_id_number("500222", datetime.date(1961, 7, 7), 17)
    wrong = good[:-1] + ("0" if good[-1] != "0" else "1")
    take(page, "代小梅", wrong)
    page.context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    page.wait_for_function("() => document.querySelectorAll('#conflict-list li').length === 1")
    assert pending(page) == 0
    assert "校验码" in page.inner_text("#conflict-list")  # the server's words, in Chinese
    # the receipt still on the screen says so too, rather than "to be sent"
    receipt = page.inner_text("#receipt-body")
    assert "服务器未受理" in receipt and "校验码" in receipt and "待同步" not in receipt
    page.reload()
    page.evaluate("() => window.LinjuField.ready")
    page.wait_for_function("() => document.querySelectorAll('#conflict-list li').length === 1")
    screenshot("field-conflict")
    assert not Case.objects.filter(applicant__name="代小梅").exists()
    page.click("#conflict-list button")  # the cadre has called the person and taken it again
    page.wait_for_function("() => document.querySelectorAll('#conflict-list li').length === 0")


def test_a_name_unlike_the_registrys_waits_for_the_cadre_and_goes_under_the_registered_name(
    demo, live_server, page
):
    """An ID number typed with a name that is not the one registered for it: the server stops the
    request (both names shown, the registered one masked); the person shows their card, the cadre
    takes it under the registered name, and the case arrives once, for that resident."""
    from linju.people.models import Resident

    url = live_server.url
    resident = (
        Resident.objects.filter(village__town__name="永新镇").exclude(name="王小明").order_by("pk").first()
    )
    before = set(Case.objects.filter(applicant=resident).values_list("pk", flat=True))
    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    page.context.set_offline(True)
    take(page, "王小明", resident.id_number)
    page.context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    page.wait_for_function("() => document.querySelectorAll('#conflict-list li').length === 1")
    said = page.inner_text("#conflict-list")
    assert "王小明" in said and resident.name not in said  # the registered name masked
    page.click("#conflict-list button:not(.secondary)")
    page.wait_for_function("() => document.querySelectorAll('#conflict-list li').length === 0")
    sent_all(page)
    with server_paused():
        new = Case.objects.filter(applicant=resident).exclude(pk__in=before)
        assert [(case.channel, case.taken_at_market.name) for case in new] == [("booth", "升平片场")]


def test_a_home_visits_result_taken_offline_is_recorded_once(demo, live_server, page):
    from linju.outreach.models import HomeTask
    from linju.people.models import Resident

    cadre = User.objects.get(username="yongxin_cadre")
    person = Resident.objects.filter(village__name="荆山村").order_by("pk").first()
    task = HomeTask.objects.create(
        bureau_id=person.bureau_id,
        kind="medical_help",
        resident=person,
        asked_via="phone",
        due_date=timezone.localdate(),
        assigned_to=cadre,
        address="荆山村5组",
    )
    url = live_server.url
    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    row = page.locator(f"#today-list li[data-task='{task.pk}']")
    assert "荆山村5组" in row.inner_text() and person.id_number not in page.content()
    page.context.set_offline(True)
    row.locator("input").fill("已收取住院票据,代为提交报销")
    row.locator("button").click()
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")
    page.context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    sent_all(page)
    task.refresh_from_db()
    assert task.status == "done" and task.result == "已收取住院票据,代为提交报销"
    # a request for someone of the visited village, chosen by name and masked number, offline
    page.context.set_offline(True)
    page.select_option("#f-place", label="永新镇 · 荆山村")
    page.select_option("#f-item", "UI-002")
    page.select_option("#f-known", str(person.pk))
    page.check("#f-m0")
    page.click("#intake button[type=submit]")
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")
    page.context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    sent_all(page)
    assert Case.objects.filter(applicant=person, idempotency_key__startswith="field-").count() == 1


def test_a_village_visit_recorded_offline_arrives_once(demo, live_server, page):
    from linju.outreach.models import VisitRecord

    url = live_server.url
    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    before = VisitRecord.objects.count()
    page.context.set_offline(True)
    page.select_option("#v-village", label="永新镇 · 荆山村")
    page.fill("#v-households", "12")
    page.fill("#v-notes", "三户问养老金认证,一户问医保报销")
    page.click("#visit button[type=submit]")
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")
    page.context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    sent_all(page)
    page.evaluate("() => window.LinjuField.sync()")
    assert VisitRecord.objects.count() == before + 1
    visit = VisitRecord.objects.latest("pk")
    assert (
        visit.village.name == "荆山村"
        and visit.households_met == 12
        and visit.idempotency_key.startswith("field-")
    )


def test_the_browser_sends_what_waits_with_the_app_closed(demo, live_server, page):
    """Background sync: a request taken offline, the app closed; the signal comes back and the
    service worker sends it, with no page of Linju's open."""
    import time

    url = live_server.url
    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    before = Case.objects.count()
    context = page.context
    context.set_offline(True)
    take(page, "代秋菊", build_id_number("500222", datetime.date(1966, 10, 9), 63))
    page.goto("about:blank")  # the app is closed; the service worker stays
    context.set_offline(False)
    deadline = time.monotonic() + 30

    def arrived() -> bool:
        with server_paused():
            return Case.objects.count() != before

    while not arrived() and time.monotonic() < deadline:
        time.sleep(0.5)
    with server_paused():
        assert Case.objects.filter(applicant__name="代秋菊").count() == 1
    open_field(page, url)  # the worker has nothing more to send before the test ends
    sent_all(page)


IDB = """async ([store, key, value]) => {
  const db = await new Promise((ok, no) => { const r = indexedDB.open("linju-field"); r.onsuccess = () => ok(r.result); r.onerror = no; });
  await new Promise((ok, no) => { const t = db.transaction(store, "readwrite");
    value === undefined ? t.objectStore(store).clear() : (key === null ? t.objectStore(store).put(value) : t.objectStore(store).put(value, key));
    t.oncomplete = ok; t.onerror = no; });
  db.close();
}"""
COUNT = """async (store) => {
  const db = await new Promise((ok, no) => { const r = indexedDB.open("linju-field"); r.onsuccess = () => ok(r.result); r.onerror = no; });
  const n = await new Promise((ok) => { const q = db.transaction(store).objectStore(store).count(); q.onsuccess = () => ok(q.result); });
  db.close(); return n;
}"""


def test_a_phone_left_idle_or_passed_to_another_cadre_keeps_nothing_of_theirs(demo, live_server, page):
    """8 hours unused: the day's data and what was sent go (what still waits stays, for the same
    cadre to send); another cadre signing in on the phone: everything of the last one goes."""
    url = live_server.url
    log_in(page, url, "yongxin_cadre")
    open_field(page, url)
    old_record = {
        "key": "field-old",
        "state": "sent",
        "body": {"item_code": "UI-002"},
        "taken_at": "2026-01-01",
    }
    page.evaluate(IDB, ["sent", None, old_record])
    assert page.evaluate(COUNT, "sent") == 1
    nine_hours_ago = "Date.now() - 9 * 3600 * 1000"
    page.evaluate(f"async () => await ({IDB})(['meta', 'last_used', {nine_hours_ago}])")
    page.context.set_offline(True)  # no fresh bundle to hide what was wiped
    page.reload()
    page.wait_for_function("() => window.LinjuField && window.LinjuField.ready")
    page.evaluate("() => window.LinjuField.ready")
    assert page.evaluate(COUNT, "sent") == 0
    page.context.set_offline(False)
    open_field(page, url)
    page.evaluate(
        IDB,
        ["queue", None, {"key": "field-waiting", "state": "queued", "body": {}, "url": "/x", "photos": []}],
    )
    page.evaluate(IDB, ["meta", "owner", "dongxi_cadre"])  # the phone was someone else's
    page.reload()
    page.evaluate("() => window.LinjuField.ready")
    assert page.evaluate(COUNT, "queue") == 0 and page.evaluate(COUNT, "sent") == 0
