"""Residents find the booth (issue 19, 1–3 and 5): booths ahead in every answer, with the station's
phone; village pages reached from the public pages; the card prints each market's cycle and its next
three days; a booth that ended today is not upcoming; the article's market day is one in the demo."""

import datetime

import pytest
from django.utils import timezone

from linju.geo.cycles import is_market_day, parse_cycle
from linju.geo.models import MarketPlace
from linju.outreach.models import BoothSession
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


def test_village_pages_are_reached_from_the_public_pages(client, ow):
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
    # the village chosen on the item page is remembered: the home page goes straight to it
    home = client.get("/").content.decode()
    assert f'href="/villages/{JINGSHAN}/"' in home and "荆山村附近的赶场服务" in home


def test_a_booth_that_ended_today_is_not_upcoming(ow):
    today = timezone.localdate()
    booth = BoothSession.objects.create(market=ow["market"], date=today, status=BoothSession.Status.PLANNED)
    village = ow["cadre"].towns.get().villages.get(code=JINGSHAN)
    assert booth in next_booths(village=village, now=at(today, 11))
    assert booth not in next_booths(village=village, now=at(today, 12))
    assert market_days_of_town(town=ow["yongxin"], now=at(today, 9))[0].next_dates[0] == today
    assert not market_days_of_town(town=ow["yongxin"], now=at(today, 13))[0].next_dates


def test_the_card_prints_each_markets_cycle_and_its_next_three_days(client, ow):
    days = next_market_days(4)
    for day in days:
        booth_session_create(
            actor=ow["staff"], market_code="market-shengping", day=day, staff_ids=[ow["cadre"].pk]
        )
    html = client.get(f"/towns/{YONGXIN}/").content.decode()
    shown = [f"{d.month}月{d.day}日" for d in days]
    assert "逢二五八赶场" in html
    assert "、".join(shown[:3]) in html and shown[3] not in html.split("逢二五八赶场")[1].split("</li>")[0]
