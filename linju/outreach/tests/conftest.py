import pytest

from linju.conftest_world import ServedTowns
from linju.outreach.models import StaffOutreach, TownOutreach


@pytest.fixture
def outreach_towns(served) -> ServedTowns:
    """`served` with outreach set up, as rows only (the same `ServedTowns` comes back): 永新镇 plans
    booth days and visits every 30 days, the 升平 market meets 逢二五八, and 永新镇's cadre keeps 5
    booth days a month."""
    served.market.cycle = "逢二五八"
    served.market.save()
    TownOutreach.objects.create(town=served.yongxin, plans_booths=True, visit_every_days=30)
    StaffOutreach.objects.create(user=served.cadre, booth_days_per_month=5)
    return served
