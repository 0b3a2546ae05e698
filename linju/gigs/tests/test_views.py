"""The gig pages: the public list (no script), posting at a booth, signing in, the gig with its
candidates and the dispatch, the slip as a PDF; gigs on the booth page and the town card."""

import datetime

from django.utils import timezone

from linju.gigs.models import Dispatch, Gig, GigWorker
from linju.gigs.tests.conftest import post
from linju.outreach.models import BoothSession


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
