"""The gig market at the 升平片场 booth, at 360 × 640: a cadre posts a gig in a few taps (the test
counts them), three residents sign in (one on the field app without signal), the candidates come in
the published order, two are sent with their slips, one of them to an afternoon gig as well, and the
day's gigs show on the public page."""

import datetime

import pytest
from django.utils import timezone

from e2e.conftest import log_in, server_paused
from linju.accounts.models import User
from linju.geo.models import MarketPlace
from linju.gigs.models import Dispatch, Gig, GigWorker, SignIn, WorkType
from linju.notify.models import OutboxMessage
from linju.outreach.models import BoothSession

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MOST_STEPS = 10  # what a cadre does in under a minute on a phone


class Steps:
    """Each tap, selection or typing the cadre does, counted."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def goto(self, url):
        self.count += 1
        self.page.goto(url)

    def click(self, selector):
        self.count += 1
        self.page.click(selector)

    def fill(self, selector, value):
        self.count += 1
        self.page.fill(selector, value)

    def select(self, selector, **choice):
        self.count += 1
        self.page.select_option(selector, **choice)


def three_workers(village_ids: list[int]) -> list[GigWorker]:
    """Three of the demo's workers of 永新镇, free all day and able to reach the gigs' villages; the
    first knows harvesting. Today's other sign-ins are cleared so the list is theirs."""
    SignIn.objects.filter(day=timezone.localdate()).delete()
    # with a mobile to text the slip to (a phone is kept encrypted: read, then chosen)
    workers = [
        worker
        for worker in GigWorker.objects.filter(resident__village__town__name="永新镇")
        .select_related("resident")
        .order_by("pk")
        if worker.resident.phone.startswith("1")
    ][:3]
    harvest = WorkType.objects.get(code="harvest")
    for n, worker in enumerate(workers):
        worker.available_from, worker.available_until = datetime.time(6), datetime.time(21)
        worker.accepts_heavy = True
        worker.save()
        worker.villages.add(*village_ids)
        if n == 0:
            worker.work_types.add(harvest)
        else:
            worker.work_types.remove(harvest)
    return workers


def test_a_gig_at_the_booth_is_posted_signed_in_for_and_dispatched_in_order(
    demo, live_server, page, screenshot, monkeypatch
):
    url = live_server.url
    market = MarketPlace.objects.get(name="升平片场")
    place = f"market:{market.code}"
    cadre = User.objects.get(username="yongxin_cadre")
    booth, _ = BoothSession.objects.get_or_create(market=market, date=timezone.localdate())
    booth.staff.add(cadre)
    village = market.town.villages.order_by("code").first()
    afternoon = Gig.objects.filter(market=market, title="坝坝宴帮厨", starts_on=timezone.localdate()).get()
    workers = three_workers([village.pk, afternoon.village_id])
    log_in(page, url, "yongxin_cadre")

    # the cadre posts a morning gig at the booth: the taps are counted
    steps = Steps(page)
    steps.goto(f"{url}/staff/outreach/booths/{booth.pk}/")
    steps.click("#post-gig")
    steps.select("#id_work_type", value="harvest")
    steps.fill("#id_pay", "130")
    steps.fill("#id_employer_name", "升平果园(示例)")
    steps.fill("#id_contact_phone", "13800005555")
    steps.click("#gig-more > summary")
    steps.fill("#id_end_time", "12:00")
    screenshot("gig-post")
    steps.click("#gig-form button[type=submit]")
    page.wait_for_url(f"{url}/staff/gigs/*/")
    assert steps.count <= MOST_STEPS, steps.count
    with server_paused():
        morning = Gig.objects.get(market=market, employer_name="升平果园(示例)")
    assert (morning.start_time, morning.end_time, morning.headcount) == (
        datetime.time(8),
        datetime.time(12),
        1,
    )
    Gig.objects.filter(pk=morning.pk).update(headcount=2)  # two people, said on the gig's page in real life

    # two residents sign in at the booth, on the page
    page.goto(f"{url}/staff/gigs/sign-in/?place={place}")
    for worker in workers[1:]:
        page.fill("#id_id_number", worker.resident.id_number)
        page.click("#sign-in-form button[type=submit]")
        page.wait_for_selector("#signed-in")
    screenshot("gig-sign-in")

    # the third on the field app, without signal: kept on the phone, sent once when the signal is back
    page.goto(f"{url}/field/")
    page.evaluate("() => window.LinjuField.ready")
    page.wait_for_function("() => document.querySelector('#g-place').options.length > 0")
    page.evaluate("() => navigator.serviceWorker.ready")
    page.context.set_offline(True)
    page.select_option("#g-place", value=place)
    page.fill("#g-id", workers[0].resident.id_number)
    page.click("#gig button[type=submit]")
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 1")
    assert "…" + workers[0].resident.id_number[-4:] in page.inner_text("#queue-list")
    screenshot("gig-field-offline")
    page.context.set_offline(False)
    page.evaluate("() => window.LinjuField.sync()")
    page.wait_for_function("() => +document.querySelector('#pending').textContent === 0")
    page.evaluate("() => window.LinjuField.sync()")  # sent again: still one sign-in
    with server_paused():
        signed = {s.worker_id: s for s in SignIn.objects.filter(day=timezone.localdate())}
    assert set(signed) == {w.pk for w in workers}
    assert signed[workers[0].pk].channel == SignIn.Channel.FIELD and signed[workers[0].pk].client_ref

    # the candidates in the published order: the quarter hour signed in, then who knows the work
    def published(worker):
        moment = timezone.localtime(signed[worker.pk].signed_in_at)
        knows = worker.work_types.filter(code="harvest").exists()
        return ((moment.hour * 60 + moment.minute) // 15, not knows, moment, worker.pk)

    expected = [w.resident.id_number[-4:] for w in sorted(workers, key=published)]
    page.goto(f"{url}/staff/gigs/{morning.pk}/")
    rows = page.locator("#candidates li[data-position]")
    shown = [rows.nth(n).inner_text() for n in range(rows.count())]
    assert [next(e for e in expected if e in line) for line in shown] == expected
    screenshot("gig-candidates")

    # the first two are sent, each with a slip (printed and texted)
    for _ in range(2):
        page.click("#candidates form.dispatch button[type=submit] >> nth=0")
        page.wait_for_selector("ul.messages li.success")
    with server_paused():
        sent = list(Dispatch.objects.filter(gig=morning).order_by("position"))
    assert [d.position for d in sent] == [1, 2]
    slip = page.request.get(f"{url}/staff/gigs/dispatches/{sent[0].pk}/slip.pdf")
    assert slip.status == 200 and slip.headers["content-type"] == "application/pdf"
    assert OutboxMessage.objects.filter(purpose="gig_slip", reference=f"gig-slip:{sent[0].pk}").exists()
    screenshot("gig-dispatched")

    # the first is also sent to the afternoon's banquet: the hours do not overlap
    page.goto(f"{url}/staff/gigs/{afternoon.pk}/")
    first = sent[0].worker
    row = page.locator("#candidates li[data-position]", has_text=first.resident.id_number[-4:])
    if row.locator("select[name=others]").count():
        row.locator("select[name=others]").select_option("declined")
    row.locator("form.dispatch button[type=submit]").click()
    page.wait_for_selector("ul.messages li.success")
    with server_paused():
        assert Dispatch.objects.filter(worker=first, gig__starts_on=timezone.localdate()).count() == 2

    # the day's gigs on the public page, for everyone, as it reads in the market's morning (a gig whose
    # hours today are over leaves it): the server's clock at 07:00 today
    morning = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(7)))
    monkeypatch.setattr(timezone, "now", lambda: morning)
    page.context.clear_cookies()
    page.goto(f"{url}/gigs/?place={place}")
    assert "升平果园(示例)" in page.inner_text("main") and "坝坝宴帮厨" in page.inner_text("main")
    screenshot("gig-public")
