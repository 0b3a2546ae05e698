"""The places each process holds (linju/geo/selectors.py): a village is found by its code with no
query, with its held town, and one created, renamed or removed by any writer is seen at once."""

import pytest

from linju.geo.models import Village
from linju.geo.selectors import town_by_id, village_by_code

from .factories import TownFactory, VillageFactory

pytestmark = pytest.mark.django_db


def test_a_village_is_found_by_code_with_its_held_town_and_no_query(django_assert_num_queries):
    village = VillageFactory(town=TownFactory())
    village_by_code(code=village.code)  # the places read once
    with django_assert_num_queries(0):
        held = village_by_code(code=village.code)
        assert held.town is town_by_id(town_id=village.town_id)
    assert (held.pk, held.name) == (village.pk, village.name)
    assert village_by_code(code="000000000000") is None


def test_a_village_created_renamed_or_removed_is_seen_at_once():
    town = TownFactory()
    first = VillageFactory(town=town)
    assert village_by_code(code=first.code).name == first.name
    second = VillageFactory(town=town)
    assert village_by_code(code=second.code).pk == second.pk
    first.name = "改名村"
    first.save()
    assert village_by_code(code=first.code).name == "改名村"
    Village.objects.get(pk=second.pk).delete()
    assert village_by_code(code=second.code) is None
