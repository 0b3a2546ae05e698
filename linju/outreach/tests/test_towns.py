"""Which towns plan their booth days from the market cycles: a planner's decision, for their towns."""

import pytest

from linju.core.errors import PermissionDenied
from linju.outreach.models import TownOutreach
from linju.outreach.towns import towns_plan_booths_from_markets


def test_a_planner_sets_their_towns_to_plan_from_the_markets(served):
    towns_plan_booths_from_markets(actor=served.staff, town_ids=[served.yongxin.pk])
    assert TownOutreach.objects.get(town=served.yongxin).plans_booths


def test_a_town_of_another_bureau_is_left_as_it_was(served):
    other = served.wansheng_resident.village.town
    towns_plan_booths_from_markets(actor=served.staff, town_ids=[other.pk])
    assert not TownOutreach.objects.filter(town=other, plans_booths=True).exists()


def test_a_cadre_does_not_decide_how_booth_days_are_planned(served):
    with pytest.raises(PermissionDenied):
        towns_plan_booths_from_markets(actor=served.cadre, town_ids=[served.yongxin.pk])
    assert not TownOutreach.objects.filter(town=served.yongxin, plans_booths=True).exists()
