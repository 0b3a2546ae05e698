import datetime

import pytest

from linju.catalog.models import Delegation
from linju.catalog.selectors import delegation_in_force, finisher_for, item_list
from linju.catalog.tests.factories import CategoryFactory, DelegationFactory, ServiceItemFactory
from linju.geo.tests.factories import ServicePointFactory, TownFactory

D = datetime.date


@pytest.fixture
def items(db):
    social = CategoryFactory(code="pension", name="养老保险")
    return {
        "ui": ServiceItemFactory(code="UI-002", name="失业保险金申领", keywords="失业金 失业保险"),
        "pension": ServiceItemFactory(
            code="PE-001",
            name="城乡居民养老保险待遇申领",
            category=social,
            description="60岁后按月领取养老金。",
        ),
        "retired": ServiceItemFactory(code="OLD-1", name="旧失业补助", valid_to=D(2020, 12, 31)),
    }


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("失业保险", ["UI-002"]),
        ("sybx", ["UI-002"]),
        ("SYBX", ["UI-002"]),
        ("shiyebaoxian", ["UI-002"]),
        ("yanglao", ["PE-001"]),
        ("cxjm", ["PE-001"]),
        ("失业金", ["UI-002"]),
        ("", ["PE-001", "UI-002"]),
        ("zzz", []),
    ],
)
def test_search_by_words_initials_and_pinyin(items, query, codes):
    assert sorted(i.code for i in item_list(query=query)) == codes


def test_retired_items_are_listed_only_on_their_dates(items):
    assert "OLD-1" not in [i.code for i in item_list()]
    assert "OLD-1" in [i.code for i in item_list(on_date=D(2019, 5, 1))]


def test_filter_by_category(items):
    assert [i.code for i in item_list(category_code="pension")] == ["PE-001"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2014, 6, 30), None),
        (D(2014, 7, 1), "finish"),
        (D(2020, 12, 31), "finish"),
        (D(2021, 1, 1), "accept_forward"),
    ],
)
def test_delegation_date_boundaries_are_inclusive(db, day, expected):
    item, town = ServiceItemFactory(), TownFactory()
    DelegationFactory(item=item, town=town, valid_from=D(2014, 7, 1), valid_to=D(2020, 12, 31))
    DelegationFactory(item=item, town=town, valid_from=D(2021, 1, 1), mode=Delegation.Mode.ACCEPT_FORWARD)
    found = delegation_in_force(item=item, town=town, on_date=day)
    assert (found.mode if found else None) == expected


def test_one_answer_for_who_finishes(db):
    item = ServiceItemFactory()
    station = ServicePointFactory()
    town = station.town
    hall = ServicePointFactory(kind="district_hall", code="hall-x", town=town, name="区大厅")
    DelegationFactory(item=item, town=town, valid_from=D(2014, 7, 1), valid_to=D(2020, 12, 31))
    assert finisher_for(item=item, town=town, on_date=D(2014, 6, 30)).service_point == hall
    assert finisher_for(item=item, town=town, on_date=D(2016, 1, 1)).service_point == station
    assert finisher_for(item=item, town=town, on_date=D(2016, 1, 1)).level == "town"
    assert finisher_for(item=item, town=town, on_date=D(2021, 1, 1)).service_point == hall


def test_best_match_first(items):
    ServiceItemFactory(code="MD-004", name="生育保险待遇申领", keywords="生孩子", description="生育后申领。")
    assert [i.code for i in item_list(query="sybx")] == ["UI-002", "MD-004"]
    assert [i.code for i in item_list(query="失业")][0] == "UI-002"
