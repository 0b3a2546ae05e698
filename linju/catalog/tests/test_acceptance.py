"""The one rule of acceptance: a station, booth or home visit takes every item not kept for the
hall, finishing it where a delegation says so; by phone or online, only what the item lists; the
hall finishes everything it takes."""

import datetime

import pytest

from linju.catalog.acceptance import PlaceKind, Verdict, verdict, ways_to_hand_in
from linju.catalog.selectors import catalogue_changed, item_by_code
from linju.conftest_world import ServedTowns

DAY = datetime.date(2026, 12, 1)


@pytest.fixture
def counter_only(served) -> ServedTowns:
    """MD-005 listed for the counter and online only; LR-002 kept for the hall."""
    items = type(served.md).objects
    items.filter(pk=served.md.pk).update(channels=["counter", "online"])
    items.filter(pk=served.lr.pk).update(
        hall_only=True, hall_only_reason="须当面核对证据原件。", channels=["counter"]
    )
    catalogue_changed()
    return served


@pytest.mark.parametrize(
    ("code", "kind", "channel", "expected"),
    [
        ("UI-002", PlaceKind.STATION, None, Verdict.FINISH),
        ("UI-002", PlaceKind.BOOTH, None, Verdict.FINISH),
        ("UI-002", PlaceKind.VILLAGE, None, Verdict.FINISH),
        ("UI-002", PlaceKind.HALL, None, Verdict.FINISH),
        ("MD-005", PlaceKind.BOOTH, None, Verdict.FORWARD),  # not listed for booths: taken all the same
        ("MD-005", PlaceKind.VILLAGE, None, Verdict.FORWARD),
        ("MD-005", PlaceKind.STATION, "phone", Verdict.NOT_THIS_CHANNEL),
        ("MD-005", PlaceKind.STATION, "online", Verdict.FORWARD),
        ("LR-002", PlaceKind.BOOTH, None, Verdict.HALL_ONLY),
        ("LR-002", PlaceKind.STATION, None, Verdict.HALL_ONLY),
        ("LR-002", PlaceKind.HALL, None, Verdict.FINISH),
        ("LR-002", PlaceKind.HALL, "online", Verdict.NOT_THIS_CHANNEL),
    ],
)
def test_what_a_place_does_with_an_item(counter_only, code, kind, channel, expected):
    item = item_by_code(code=code)
    assert verdict(item=item, kind=kind, town=counter_only.yongxin, on_date=DAY, channel=channel) == expected


def test_the_ways_to_hand_in_are_the_rules_not_only_the_items_list(counter_only, client):
    assert ways_to_hand_in(item_by_code(code="MD-005")) == ["counter", "booth", "home_visit", "online"]
    assert ways_to_hand_in(item_by_code(code="LR-002")) == ["counter"]
    assert client.get("/api/v1/catalog/items/MD-005").json()["channels"] == [
        "counter",
        "booth",
        "home_visit",
        "online",
    ]
    page = client.get("/catalog/items/MD-005/").content.decode()
    assert "赶场日服务点" in page.split("怎么申请")[1].split("</dd>")[0]
