"""The gig pages: the public list (no script), posting at a booth, signing in, the gig with its
candidates and the dispatch, the slip as a PDF; gigs on the booth page and the town card."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from linju.audit.models import AuditEvent
from linju.gigs.models import Dispatch, Gig, GigWorker
from linju.gigs.services.pay import pay_link
from linju.gigs.slips import slip_paper
from linju.gigs.tests.conftest import post
from linju.gigs.tests.factories_pay import (
    DispatchFactory,
    GigWorkerFactory,
    SignInFactory,
    gig_day_fixture,  # noqa: F401  (the fixture gig_day)
)
from linju.outreach.models import BoothSession
from linju.people.masking import mask_id_number, mask_name


def test_the_public_page_lists_the_days_gigs_per_town_and_market(client, gig_market):
    page = client.get("/gigs/", {"town": gig_market.yongxin.code})
    assert page.status_code == 200 and "采摘柑橘" in page.content.decode()
    assert "<script" not in page.content.decode().split("<main>")[1]
    other = client.get("/gigs/", {"town": gig_market.dongxi.code})
    assert "采摘柑橘" not in other.content.decode()
    at_market = client.get("/gigs/", {"place": "market:market-shengping"})
    assert "采摘柑橘" in at_market.content.decode()


def test_a_cadre_posts_a_gig_with_four_fields(client, gig_market):
    client.force_login(gig_market.cadre)
    form = client.get("/staff/gigs/new/", {"place": "market:market-shengping"})
    assert form.status_code == 200
    posted = client.post(
        "/staff/gigs/new/",
        {
            "place": "market:market-shengping",
            "work_type": "cleaning",
            "pay": "100",
            "pay_unit": "day",
            "headcount": "1",
            "employer_name": "升平卫生院(示例)",
            "contact_phone": "13800003333",
            "start_time": "08:00",
            "end_time": "17:00",
        },
    )
    gig = Gig.objects.get(work_type__code="cleaning")
    assert posted.status_code == 302 and posted.url == f"/staff/gigs/{gig.pk}/"


def test_a_wrong_phone_is_said_on_its_field_and_nothing_is_lost(client, gig_market):
    client.force_login(gig_market.cadre)
    page = client.post(
        "/staff/gigs/new/",
        {
            "place": "market:market-shengping",
            "work_type": "cleaning",
            "pay": "100",
            "pay_unit": "day",
            "headcount": "1",
            "employer_name": "升平卫生院(示例)",
            "contact_phone": "12",
            "start_time": "08:00",
            "end_time": "17:00",
        },
    )
    assert page.status_code == 400
    assert "升平卫生院(示例)" in page.content.decode()  # what was typed stays


def test_signing_in_and_dispatching_from_the_pages(client, gig_market, huey_worker):
    client.force_login(gig_market.cadre)
    signed = client.post(
        "/staff/gigs/sign-in/", {"place": "market:market-shengping", "id_number": gig_market.dai.id_number}
    )
    assert signed.status_code == 200 and "代云峰" in signed.content.decode()
    page = client.get(f"/staff/gigs/{gig_market.picking.pk}/")
    assert "代云峰" in page.content.decode()
    client.post(
        f"/staff/gigs/{gig_market.picking.pk}/dispatch/",
        {"worker": gig_market.dai_worker.pk, "text_slip": "on"},
    )
    dispatch = Dispatch.objects.get()
    assert dispatch.position == 1
    slip = client.get(f"/staff/gigs/dispatches/{dispatch.pk}/slip.pdf")
    assert slip.status_code in (200, 202)


def test_the_gig_page_names_a_sent_worker_of_another_town_masked_as_the_candidates_do(client, gig_market):
    """A worker of 东溪镇 sent to a gig of 永新镇 is 周*明 on the 永新镇 cadre's page, among the sent as
    among the candidates."""
    from_dongxi = GigWorkerFactory(resident=gig_market.zhou)
    DispatchFactory(gig=gig_market.picking, worker=from_dongxi, dispatched_by=gig_market.cadre)
    client.force_login(gig_market.cadre)
    page = client.get(f"/staff/gigs/{gig_market.picking.pk}/")
    sent = page.content.decode().split('id="dispatched"')[1].split("</ul>")[0]
    assert "周*明" in sent and "周开明" not in page.content.decode()


def test_a_worker_sent_on_an_earlier_day_and_not_signed_in_today_is_recorded_as_seen(client, gig_market):
    """The sent list names whom it names even when they are not among today's candidates: the page's
    one audit row holds them too."""
    earlier = GigWorkerFactory(resident=gig_market.zhou)
    DispatchFactory(gig=gig_market.picking, worker=earlier, dispatched_by=gig_market.cadre)
    client.force_login(gig_market.cadre)
    assert client.get(f"/staff/gigs/{gig_market.picking.pk}/").status_code == 200
    seen = AuditEvent.objects.get(object_type="resident_list", detail__what="gig_candidates")
    assert gig_market.zhou.pk in seen.detail["residents"] and seen.actor == gig_market.cadre


def test_the_sign_in_list_masks_with_the_helpers_and_is_recorded(client, gig_market):
    """The day's sign-ins at a place: names and ID numbers masked as everywhere else, and the list
    recorded as a view of the residents it names (one audit row a look)."""
    SignInFactory(worker=gig_market.dai_worker, market=gig_market.market, day=timezone.localdate())
    client.force_login(gig_market.cadre)
    page = client.get("/staff/gigs/sign-in/", {"place": "market:market-shengping"})
    signed = page.content.decode().split('id="signed-list"')[1].split("</ol>")[0]
    assert mask_name("代云峰") in signed and mask_id_number(gig_market.dai.id_number) in signed
    assert "代云峰" not in signed and gig_market.dai.id_number not in signed
    seen = AuditEvent.objects.get(object_type="resident_list", detail__what="gig_sign_ins")
    assert seen.detail["residents"] == [gig_market.dai.pk] and seen.actor == gig_market.cadre


def test_the_sign_in_page_costs_the_same_queries_whatever_its_sign_ins(
    client, gig_market, django_assert_num_queries
):
    today = timezone.localdate()
    SignInFactory(worker=gig_market.dai_worker, market=gig_market.market, day=today)
    client.force_login(gig_market.cadre)
    place = {"place": "market:market-shengping"}
    client.get("/staff/gigs/sign-in/", place)
    with django_assert_num_queries(QUERIES_OF_THE_SIGN_IN_PAGE):
        assert client.get("/staff/gigs/sign-in/", place).status_code == 200
    for worker in (gig_market.li_worker, gig_market.zhang_worker):
        SignInFactory(worker=worker, market=gig_market.market, day=today)
    with django_assert_num_queries(QUERIES_OF_THE_SIGN_IN_PAGE):
        assert client.get("/staff/gigs/sign-in/", place).status_code == 200


# the session, the user, the markets of the viewer's towns, their job-service places, the day's
# sign-ins at the place with their people, the audit row, the gigs posted there today
QUERIES_OF_THE_SIGN_IN_PAGE = 7


def test_registering_a_worker_by_id_number(client, gig_market):
    client.force_login(gig_market.dongxi_cadre)
    answer = client.post(
        "/staff/gigs/workers/new/",
        {
            "id_number": gig_market.zhou.id_number,
            "work_types": ["cleaning"],
            "available_from": "07:00",
            "available_until": "18:00",
        },
    )
    assert answer.status_code == 302
    assert list(GigWorker.objects.get(resident=gig_market.zhou).villages.all()) == [gig_market.longjing]


def test_the_booth_page_and_the_town_card_show_the_gigs(client, gig_market):
    booth = BoothSession.objects.create(market=gig_market.market, date=timezone.localdate())
    booth.staff.add(gig_market.cadre)
    client.force_login(gig_market.cadre)
    page = client.get(f"/staff/outreach/booths/{booth.pk}/").content.decode()
    assert "采摘柑橘" in page and "/staff/gigs/new/?place=market%3Amarket-shengping" in page
    card = client.get(f"/towns/{gig_market.yongxin.code}/").content.decode()
    assert "采摘柑橘" in card


def test_a_gig_of_next_week_is_not_on_the_booth_of_today(client, gig_market):
    post(gig_market, title="下周的活", starts_on=timezone.localdate() + datetime.timedelta(days=7))
    booth = BoothSession.objects.create(market=gig_market.market, date=timezone.localdate())
    client.force_login(gig_market.cadre)
    assert "下周的活" not in client.get(f"/staff/outreach/booths/{booth.pk}/").content.decode()


def at_local(monkeypatch, hour: int) -> datetime.datetime:
    """The clock set to today at the hour, the bureau's local time (Asia/Shanghai)."""
    moment = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def test_a_gig_whose_hours_today_are_over_is_not_listed_as_open_work(client, gig_market, monkeypatch):
    """At 18:00 the morning's 采摘柑橘 (8:00–12:00) is over: not on the public page, the API or the
    town card; the evening's gig and a gig going on tomorrow are. The staff's gig page still opens
    (its candidates and dispatches, for recording pay), and the staff's list marks it over."""
    today = timezone.localdate()
    post(
        gig_market,
        title="晚上分拣",
        starts_on=today,
        start_time=datetime.time(18),
        end_time=datetime.time(22),
    )
    post(
        gig_market,
        title="连续三天采茶",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=2),
        start_time=datetime.time(7),
        end_time=datetime.time(11),
    )
    at_local(monkeypatch, 18)
    page = client.get("/gigs/", {"town": gig_market.yongxin.code}).content.decode()
    assert "采摘柑橘" not in page and "晚上分拣" in page
    after_today = page[page.index("晚上分拣") :]
    assert "连续三天采茶" in after_today  # under tomorrow, the next day it is worked
    titles = [g["title"] for g in client.get("/api/v1/gigs", {"town": gig_market.yongxin.code}).json()]
    assert "采摘柑橘" not in titles and "晚上分拣" in titles
    assert "采摘柑橘" not in client.get(f"/towns/{gig_market.yongxin.code}/").content.decode()
    client.force_login(gig_market.cadre)
    staff_page = client.get(f"/staff/gigs/{gig_market.picking.pk}/")
    assert staff_page.status_code == 200 and "采摘柑橘" in staff_page.content.decode()
    hub = client.get("/staff/gigs/").content.decode()
    row = hub[hub.index("采摘柑橘") :].split("</li>")[0]
    assert "今天已收工" in row


def test_in_the_morning_the_days_gigs_are_open_work(client, gig_market, monkeypatch):
    at_local(monkeypatch, 11)
    page = client.get("/gigs/", {"town": gig_market.yongxin.code}).content.decode()
    assert "采摘柑橘" in page


def test_the_slip_names_the_place_of_work_not_an_intake_word(gig_day):
    paper = slip_paper(gig_day.dispatch)
    with translation.override("zh-hans"):
        html = render_to_string(paper.template, paper.context)
    assert "<th>干活地点</th><td>永新镇荆山村" in html and "受理地点" not in html
    with translation.override("zh-hans"):
        assert gettext("Where") == "受理地点"  # the cases' word stays theirs


def test_the_slip_carries_the_link_where_the_worker_says_what_was_paid(gig_day):
    paper = slip_paper(gig_day.dispatch)
    with translation.override("zh-hans"):
        html = render_to_string(paper.template, paper.context)
    assert pay_link(gig_day.dispatch) in html and "工资到手情况" in html
