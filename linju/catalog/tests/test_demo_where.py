"""The where-ranking on the demo data: the 2014 pilot of the founding article."""

import datetime

import pytest

from linju.catalog.models import Delegation, ServiceItem
from linju.catalog.selectors import item_get, village_get
from linju.portal.where import places_to_apply

JINGSHAN = "500110113225"  # 荆山村, 永新镇 (a pilot town)
LONGJING = "500110109210"  # 龙井村, 东溪镇 (a pilot town)
NOW = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.mark.django_db
def test_the_pilot_is_configured(demo_read):
    finish = Delegation.objects.filter(mode="finish")
    assert finish.values("item").distinct().count() == 22
    assert finish.values("item__category").distinct().count() == 5
    assert set(finish.values_list("town__name", flat=True)) == {"永新镇", "东溪镇"}
    assert ServiceItem.objects.count() >= 40
    assert ServiceItem.objects.values("category").distinct().count() >= 6
    assert not ServiceItem.objects.filter(is_example=False).exists()


@pytest.mark.django_db
def test_jingshan_is_sent_to_yongxin_station_for_a_delegated_item(demo_read):
    places = places_to_apply(item=item_get(code="UI-002"), village=village_get(code=JINGSHAN), now=NOW)
    assert places[0].name == "永新镇社保服务所"
    assert places[0].mode == "finish"
    hall = next(p for p in places if p.kind == "hall")
    assert places[0].minutes < hall.minutes


@pytest.mark.django_db
def test_jingshan_goes_to_the_district_hall_for_an_item_kept_for_the_hall(demo_read):
    item = item_get(code="LR-002")  # arbitration: the evidence is checked in person at the district
    assert item.hall_only and item.hall_only_reason
    places = places_to_apply(item=item, village=village_get(code=JINGSHAN), now=NOW)
    assert [p.kind for p in places] == ["hall"]  # no station, and no booth takes it
    assert places[0].mode == "finish"


@pytest.mark.django_db
def test_the_station_takes_an_item_it_does_not_finish_for_the_district(demo_read):
    places = places_to_apply(item=item_get(code="LR-001"), village=village_get(code=JINGSHAN), now=NOW)
    station = next(p for p in places if p.kind == "station")
    assert station.mode == "accept_forward" and station.name == "永新镇社保服务所"


@pytest.mark.django_db
def test_a_non_pilot_town_accepts_and_forwards(demo_read):
    gunan_village = "500110001200"  # 春光村, 古南街道
    places = places_to_apply(item=item_get(code="UI-002"), village=village_get(code=gunan_village), now=NOW)
    station = next(p for p in places if p.kind == "station")
    assert station.mode == "accept_forward"


@pytest.mark.django_db
def test_next_opening_skips_the_weekend(demo_read):
    saturday_evening = datetime.datetime(2026, 11, 28, 18, 0, tzinfo=NOW.tzinfo)
    places = places_to_apply(
        item=item_get(code="UI-002"), village=village_get(code=LONGJING), now=saturday_evening
    )
    station = next(p for p in places if p.kind == "station")  # a nearer booth may come first
    assert station.next_open.date() == datetime.date(2026, 11, 30)
    assert not station.open_now
