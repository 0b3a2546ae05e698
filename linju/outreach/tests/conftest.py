import pytest

from linju.outreach.models import StaffOutreach, TownOutreach


@pytest.fixture
def ow(cw):
    """The cases world plus outreach settings: 永新镇 plans booths; the 升平 market meets 逢二五八."""
    cw["market"].cycle = "逢二五八"
    cw["market"].save()
    TownOutreach.objects.create(town=cw["yongxin"], plans_booths=True, visit_every_days=30)
    StaffOutreach.objects.create(user=cw["cadre"], booth_days_per_month=5)
    return cw
