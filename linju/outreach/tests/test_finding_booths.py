"""Residents find the booth: booths ahead in every answer, with the station's
phone; village pages reached from the public pages; the card prints each market's cycle and its next
three days; a booth that ended today is not upcoming; the article's market day is one in the demo."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from linju.geo.cycles import is_market_day, market_days, parse_cycle
from linju.geo.models import MarketPlace
from linju.outreach.models import BoothSession, StaffOutreach
from linju.outreach.selectors import market_days_of_town, next_booths
from linju.outreach.services import booth_session_create
from linju.outreach.tests.days import next_market_days
from linju.portal.where import where_answer

JINGSHAN = "500110113225"  # 荆山村, 永新镇
YONGXIN = "500110113000"


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db
def test_the_demo_plans_booths_for_the_coming_two_months_and_they_carry_the_stations_phone(demo):
    today = timezone.localdate()
    planned = BoothSession.objects.filter(status=BoothSession.Status.PLANNED)
    assert planned.filter(date__gt=today + datetime.timedelta(days=45)).exists()
    assert planned.filter(date__gte=today + datetime.timedelta(days=61)).exists()
    booths = [
        p for p in where_answer(item_code="UI-002", village_code=JINGSHAN)["places"] if p["kind"] == "booth"
    ]
    assert booths and all(p["phone"] == booths[0]["phone"] != "" for p in booths)
    station = next(
        p for p in where_answer(item_code="UI-002", village_code=JINGSHAN)["places"] if p["kind"] == "station"
    )
    assert booths[0]["phone"] == station["phone"]


@pytest.mark.django_db
def test_the_articles_market_day_is_a_market_day_at_shengping(demo):
    """文维平 met the villagers at 升平片场 on 11 June 2014 (the 14th of the fifth lunar month)."""
    market = MarketPlace.objects.get(name="升平片场")
    assert is_market_day(parse_cycle(market.cycle), datetime.date(2014, 6, 11))


def test_village_pages_are_reached_from_the_public_pages(client, outreach_towns):
    home = client.get("/").content.decode()
    assert 'href="/villages/"' in home
    towns = client.get("/villages/").content.decode()
    assert f'href="?town={YONGXIN}"' in towns
    villages = client.get(f"/villages/?town={YONGXIN}").content.decode()
    assert f'href="/villages/{JINGSHAN}/"' in villages
    assert client.get("/villages/?town=000000000000").status_code == 404
    card = client.get(f"/towns/{YONGXIN}/").content.decode()
    assert f'href="/villages/{JINGSHAN}/"' in card
    item = client.get("/catalog/items/UI-002/", {"town": YONGXIN, "village": JINGSHAN})
    assert f'href="/villages/{JINGSHAN}/"' in item.content.decode()
    # a village chosen (on its page, or the item page's) is remembered: the home page goes straight
    # to it, and elder mode gives its station's phone
    client.cookies.clear()
    client.get(f"/villages/{JINGSHAN}/")
    home = client.get("/").content.decode()
    assert f'href="/villages/{JINGSHAN}/"' in home
    client.cookies["linju_elder"] = "1"
    assert (
        "永新镇社保服务所"
        in client.get("/jobs/").content.decode().split('class="call-us"')[1].split("</p>")[0]
    )
    del client.cookies["linju_elder"]
    client.cookies.clear()
    item = client.get("/catalog/items/UI-002/", {"town": YONGXIN, "village": JINGSHAN})
    # the village chosen on the item page is remembered: the home page goes straight to it
    home = client.get("/").content.decode()
    assert f'href="/villages/{JINGSHAN}/"' in home and "荆山村附近的赶场服务" in home


def test_a_booth_that_ended_today_is_not_upcoming(outreach_towns):
    today = timezone.localdate()
    booth = BoothSession.objects.create(
        market=outreach_towns.market, date=today, status=BoothSession.Status.PLANNED
    )
    village = outreach_towns.cadre.towns.get().villages.get(code=JINGSHAN)
    assert booth in next_booths(village=village, now=at(today, 11))
    assert booth not in next_booths(village=village, now=at(today, 12))
    assert market_days_of_town(town=outreach_towns.yongxin, now=at(today, 9))[0].next_dates[0] == today
    assert not market_days_of_town(town=outreach_towns.yongxin, now=at(today, 13))[0].next_dates


def test_a_booth_at_work_today_stays_open_to_residents_until_its_hours_end(outreach_towns):
    """The first question answered marks a booth held; it still takes people until noon, so the
    public lists keep it, and drop it only when its hours end, as they drop a planned one."""
    today = timezone.localdate()
    booth = BoothSession.objects.create(
        market=outreach_towns.market, date=today, status=BoothSession.Status.HELD
    )
    village = outreach_towns.cadre.towns.get().villages.get(code=JINGSHAN)
    assert booth in next_booths(village=village, now=at(today, 10))
    assert market_days_of_town(town=outreach_towns.yongxin, now=at(today, 10))[0].next_dates[0] == today
    assert booth not in next_booths(village=village, now=at(today, 12))
    BoothSession.objects.filter(pk=booth.pk).update(status=BoothSession.Status.CANCELLED)
    assert booth not in next_booths(village=village, now=at(today, 10))


def test_the_card_prints_each_markets_cycle_and_its_next_three_days(client, outreach_towns):
    days = next_market_days(4)
    for day in days:
        booth_session_create(
            actor=outreach_towns.staff,
            market_code="market-shengping",
            day=day,
            staff_ids=[outreach_towns.cadre.pk],
        )
    html = client.get(f"/towns/{YONGXIN}/").content.decode()
    shown = [f"{d.month}月{d.day}日" for d in days]
    assert "逢二五八赶场" in html
    market = strip_tags(html.split("逢二五八赶场")[1].split("</li>")[0])
    assert "、".join(shown[:3]) in market and shown[3] not in market


def test_when_booth_days_run_out_the_far_market_keeps_its_days(outreach_towns, client):
    """One cadre, five booth days a month, two markets meeting the same days: the town seat's market
    (its villages five minutes from it and ten from the station) gives way to 升平片场 (its village
    twenty minutes from it and two and a half hours from the station), and the plan says who loses."""
    from linju.geo.models import TravelTime
    from linju.geo.tests.factories import MarketPlaceFactory, VillageFactory
    from linju.outreach.services import booth_plan_generate

    seat = MarketPlaceFactory(
        town=outreach_towns.yongxin,
        code="a-yongxin-seat",
        name="永新场镇",
        kind="town_market",
        cycle="逢三六九",
    )
    far = VillageFactory(town=outreach_towns.yongxin, code="500110113901", name="远山村", population=800)
    near = VillageFactory(town=outreach_towns.yongxin, code="500110113902", name="场口社区", population=2000)
    for village, market, to_market, to_station in (
        (far, outreach_towns.market, 20, 150),
        (near, seat, 5, 10),
    ):
        TravelTime.objects.create(
            village=village, market_place=market, minutes=to_market, mode="walk", source="synthetic"
        )
        TravelTime.objects.create(
            village=village,
            service_point=outreach_towns.station,
            minutes=to_station,
            mode="bus",
            source="synthetic",
        )
    StaffOutreach.objects.filter(user=outreach_towns.cadre).update(booth_days_per_month=10)
    month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    result = booth_plan_generate(actor=outreach_towns.staff, month=month)
    kept = [b.market.name for b in result.created]
    # 升平 meets 逢二五八 (nine days a month), the town seat 逢三六九; ten booth days in all
    import calendar

    seat_days = market_days(
        parse_cycle("逢三六九"), month, month.replace(day=calendar.monthrange(month.year, month.month)[1])
    )
    assert kept.count("升平片场") == 9 and kept.count("永新场镇") == 1
    assert [
        (loss.market.name, loss.days, [(v.village.name, v.extra_minutes) for v in loss.villages])
        for loss in result.losses
    ] == [("永新场镇", len(seat_days) - 1, [("场口社区", 5)])]
    client.force_login(outreach_towns.staff)
    page = client.post("/staff/outreach/booths/", {"month": month.strftime("%Y-%m")}).content.decode()
    assert "少了这些场次,谁要多走路" in page and "场口社区:2000 人,每人多走 5 分钟" in page


@pytest.mark.django_db
def test_the_demos_far_market_keeps_every_day_of_next_month(demo):
    """The demo's 永新镇: 升平片场 is staffed on every one of its market days next month, and the
    town seat's market (on other days) on some."""
    import calendar

    today = timezone.localdate()
    first = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    shengping = MarketPlace.objects.get(name="升平片场")
    booked = set(
        BoothSession.objects.filter(market=shengping, date__range=(first, last)).values_list(
            "date", flat=True
        )
    )
    assert booked == set(market_days(parse_cycle(shengping.cycle), first, last))
    seat = MarketPlace.objects.filter(town=shengping.town).exclude(pk=shengping.pk).get()
    assert seat.cycle != shengping.cycle
    assert BoothSession.objects.filter(market=seat, date__range=(first, last)).exists()


def test_a_text_the_day_before_a_booth_only_to_those_who_asked(
    outreach_towns, client, django_assert_max_num_queries
):
    """Opt-in recorded with its moment and channel; the day before a booth, a text to
    the residents of the villages it serves who asked, once however often the job runs; never to one
    who did not ask; withdrawn by replying TD, on the status page, or at the counter."""
    from django.test import override_settings

    from linju.notify.models import OutboxMessage
    from linju.outreach.models import BoothReminder
    from linju.outreach.services import booth_reminder_opt_in, booth_reminders_send
    from linju.people.tests.factories import ResidentFactory

    village = outreach_towns.jingshan
    asked = ResidentFactory(village=village, phone="13900001111", name="代春花")
    silent = ResidentFactory(village=village, phone="13900002222", name="代秋生")
    reminder = booth_reminder_opt_in(actor=outreach_towns.cadre, resident_id=asked.pk, channel="booth")
    assert (reminder.channel, reminder.recorded_by, timezone.localtime(reminder.opted_in_at).date()) == (
        "booth",
        outreach_towns.cadre,
        timezone.localdate(),
    )
    assert (
        booth_reminder_opt_in(actor=outreach_towns.cadre, resident_id=asked.pk, channel="counter") == reminder
    )
    day = next_market_days(1)[0]
    booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=day,
        staff_ids=[outreach_towns.cadre.pk],
    )
    the_day_before = day - datetime.timedelta(days=1)
    assert booth_reminders_send(today=the_day_before) == 1
    assert booth_reminders_send(today=the_day_before) == 0  # a second run sends nothing twice
    text = OutboxMessage.objects.get(purpose="booth_reminder")
    assert text.phone == asked.phone and "升平片场" in text.text and "回复TD退订" in text.text
    assert not OutboxMessage.objects.filter(phone=silent.phone).exists()
    assert booth_reminders_send(today=day) == 0  # no booth the day after

    # a reply of TD, through the gateway's key
    with override_settings(LINJU_SMS_REPLY_KEY="gateway-secret"):
        refused = client.post(
            "/api/v1/outreach/sms-replies",
            {"phone": asked.phone, "text": "TD"},
            content_type="application/json",
        )
        assert refused.status_code == 404
        reply = client.post(
            "/api/v1/outreach/sms-replies",
            {"phone": asked.phone, "text": " td "},
            content_type="application/json",
            HTTP_X_GATEWAY_KEY="gateway-secret",
        )
    assert reply.status_code == 200 and reply.json() == {"withdrawn": True}
    reminder.refresh_from_db()
    assert reminder.withdrawn_via == "reply" and reminder.withdrawn_at
    second = next_market_days(2)[1]
    booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=second,
        staff_ids=[outreach_towns.cadre.pk],
    )
    assert booth_reminders_send(today=second - datetime.timedelta(days=1)) == 0

    # asked again at the counter; stopped on the status page (the same answer for any number)
    booth_reminder_opt_in(actor=outreach_towns.cadre, resident_id=asked.pk, channel="counter")
    page = client.post("/status/booth-texts/stop/", {"phone": asked.phone}).content.decode()
    assert "以后不会再收到" in page
    assert (
        client.post("/status/booth-texts/stop/", {"phone": "13700009999"})
        .content.decode()
        .count("以后不会再收到")
        == 1
    )
    assert BoothReminder.objects.filter(resident=asked, withdrawn_at=None).count() == 0
    assert BoothReminder.objects.filter(resident=asked, withdrawn_via="status_page").count() == 1
    assert client.post("/status/booth-texts/stop/", {"phone": "abc"}).status_code == 400


def test_booth_texts_at_the_counter_page_and_who_may_record_them(outreach_towns, client):
    from linju.outreach.models import BoothReminder
    from linju.people.tests.factories import ResidentFactory

    resident = ResidentFactory(village=outreach_towns.jingshan, phone="13900003333")
    landline = ResidentFactory(village=outreach_towns.jingshan, phone="023-48621234")
    client.force_login(outreach_towns.cadre)
    url = f"/staff/outreach/residents/{resident.pk}/booth-texts/"
    assert "居民要求开通赶场提醒" in client.get(url).content.decode()
    client.post(url, {"action": "on", "channel": "counter"})
    assert "自 " in client.get(url).content.decode()
    client.post(url, {"action": "stop"})
    assert BoothReminder.objects.get(resident=resident).withdrawn_via == "staff"
    client.post(
        f"/staff/outreach/residents/{landline.pk}/booth-texts/", {"action": "on", "channel": "counter"}
    )
    assert not BoothReminder.objects.filter(resident=landline).exists()
    client.force_login(outreach_towns.dongxi_cadre)  # another town's resident: as if there were none
    assert client.get(url).status_code == 404


def test_stopping_booth_texts_with_a_short_number_shows_the_form_again_with_the_number_kept(client, db):
    answer = client.post("/status/booth-texts/stop/", {"phone": "13912"})
    page = answer.content.decode()
    form = page.split('action="/status/booth-texts/stop/"', 1)[1]
    assert answer.status_code == 400 and 'value="13912"' in form
    assert 'id="stop-phone-error"' in form and 'aria-invalid="true"' in form
