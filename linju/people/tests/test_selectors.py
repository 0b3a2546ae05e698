import pytest

from linju.core.errors import NotFound
from linju.people.selectors import resident_get_for_viewer, resident_list
from linju.people.tests.factories import ResidentFactory


def names(queryset):
    return sorted(r.name for r in queryset)


def test_cadre_sees_only_residents_of_their_towns(world):
    assert names(resident_list(viewer=world["cadre"])) == ["代云峰"]
    assert names(resident_list(viewer=world["dongxi_cadre"])) == ["周开明"]


def test_district_staff_see_their_bureau_only(world):
    assert names(resident_list(viewer=world["staff"])) == ["代云峰", "周开明"]
    assert names(resident_list(viewer=world["ws_staff"])) == ["王大山"]


def test_anonymous_sees_nobody(world):
    from django.contrib.auth.models import AnonymousUser

    assert not resident_list(viewer=AnonymousUser()).exists()


def test_cadre_without_towns_sees_nobody(world):
    world["cadre"].towns.clear()
    assert not resident_list(viewer=world["cadre"]).exists()


def test_not_yours_and_missing_are_the_same_error(world):
    with pytest.raises(NotFound) as other_town:
        resident_get_for_viewer(viewer=world["cadre"], resident_id=world["zhou"].pk)
    with pytest.raises(NotFound) as missing:
        resident_get_for_viewer(viewer=world["cadre"], resident_id=10**9)
    assert other_town.value.text() == missing.value.text()
    assert other_town.value.status == missing.value.status == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dyf", ["代云峰"]),
        ("DY", ["代云峰"]),
        ("代云", ["代云峰"]),
        ("zkm", ["周开明"]),
        ("zhoukai", ["周开明"]),
        ("Dai Yun", ["代云峰"]),
        ("13912345678", ["代云峰"]),
        ("139 1234 5678", ["代云峰"]),
        ("nobody", []),
    ],
)
def test_search_by_name_initials_and_phone(world, query, expected):
    assert names(resident_list(viewer=world["staff"], query=query)) == expected


def test_search_by_last_four_id_characters(world):
    dai = world["dai"]
    found = resident_list(viewer=world["staff"], query=dai.id_number[-4:].lower())
    assert dai in found


def test_search_by_full_id_number(world):
    zhou = world["zhou"]
    assert list(resident_list(viewer=world["staff"], query=zhou.id_number)) == [zhou]
    assert list(resident_list(viewer=world["cadre"], query=zhou.id_number)) == []


def test_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    ResidentFactory.create_batch(5, village=world["jingshan"])
    with django_assert_num_queries(1):
        rows = [(r.name, r.village.name, r.village.town.name) for r in resident_list(viewer=world["cadre"])]
    assert len(rows) == 6
