import pytest

from linju.core.errors import NotFound
from linju.people.selectors import resident_get_for_viewer, resident_list
from linju.people.tests.factories import ResidentFactory


def names(queryset):
    return sorted(r.name for r in queryset)


def test_cadre_sees_only_residents_of_their_towns(towns_and_staff):
    assert names(resident_list(viewer=towns_and_staff.cadre)) == ["代云峰"]
    assert names(resident_list(viewer=towns_and_staff.dongxi_cadre)) == ["周开明"]


def test_district_staff_see_their_bureau_only(towns_and_staff):
    assert names(resident_list(viewer=towns_and_staff.staff)) == ["代云峰", "周开明"]
    assert names(resident_list(viewer=towns_and_staff.ws_staff)) == ["王大山"]


def test_anonymous_sees_nobody(towns_and_staff):
    from django.contrib.auth.models import AnonymousUser

    assert not resident_list(viewer=AnonymousUser()).exists()


def test_cadre_without_towns_sees_nobody(towns_and_staff):
    towns_and_staff.cadre.towns.clear()
    assert not resident_list(viewer=towns_and_staff.cadre).exists()


def test_not_yours_and_missing_are_the_same_error(towns_and_staff):
    with pytest.raises(NotFound) as other_town:
        resident_get_for_viewer(viewer=towns_and_staff.cadre, resident_id=towns_and_staff.zhou.pk)
    with pytest.raises(NotFound) as missing:
        resident_get_for_viewer(viewer=towns_and_staff.cadre, resident_id=10**9)
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
def test_search_by_name_initials_and_phone(towns_and_staff, query, expected):
    assert names(resident_list(viewer=towns_and_staff.staff, query=query)) == expected


def test_search_by_last_four_id_characters(towns_and_staff):
    dai = towns_and_staff.dai
    found = resident_list(viewer=towns_and_staff.staff, query=dai.id_number[-4:].lower())
    assert dai in found


def test_search_by_full_id_number(towns_and_staff):
    zhou = towns_and_staff.zhou
    assert list(resident_list(viewer=towns_and_staff.staff, query=zhou.id_number)) == [zhou]
    assert list(resident_list(viewer=towns_and_staff.cadre, query=zhou.id_number)) == []


def test_list_query_count_does_not_grow_with_rows(towns_and_staff, django_assert_num_queries):
    ResidentFactory.create_batch(5, village=towns_and_staff.jingshan)
    with django_assert_num_queries(1):
        rows = [
            (r.name, r.village.name, r.village.town.name) for r in resident_list(viewer=towns_and_staff.cadre)
        ]
    assert len(rows) == 6
