import pytest

from linju.accounts.tests.factories import AdminFactory, CadreFactory, LeaderFactory, UserFactory
from linju.geo.tests.factories import BureauFactory, TownFactory, VillageFactory
from linju.people.tests.factories import ResidentFactory


@pytest.fixture
def world(db):
    """Two 綦江 towns and one 万盛 town, a resident in each, and staff of every kind."""
    qijiang = BureauFactory()
    wansheng = BureauFactory(
        zone="万盛经开区", name="万盛经开区人力资源和社会保障局", short_name="万盛经开区人力社保局"
    )
    yongxin = TownFactory(code="500110113000", name="永新镇", bureau=qijiang)
    dongxi = TownFactory(code="500110109000", name="东溪镇", bureau=qijiang)
    nantong = TownFactory(code="500110101000", name="南桐镇", bureau=wansheng)
    jingshan = VillageFactory(code="500110113225", name="荆山村", town=yongxin)
    longjing = VillageFactory(code="500110109210", name="龙井村", town=dongxi)
    nantong_village = VillageFactory(code="500110101200", name="南桐村", town=nantong)
    return {
        "yongxin": yongxin,
        "dongxi": dongxi,
        "jingshan": jingshan,
        "longjing": longjing,
        "dai": ResidentFactory(name="代云峰", village=jingshan, phone="13912345678"),
        "zhou": ResidentFactory(name="周开明", village=longjing),
        "wansheng_resident": ResidentFactory(name="王大山", village=nantong_village),
        "cadre": CadreFactory(username="yongxin_cadre", bureau=qijiang, towns=[yongxin]),
        "dongxi_cadre": CadreFactory(username="dongxi_cadre", bureau=qijiang, towns=[dongxi]),
        "staff": UserFactory(username="qj_staff", bureau=qijiang),
        "ws_staff": UserFactory(username="ws_staff", bureau=wansheng),
        "leader": LeaderFactory(username="qj_leader", bureau=qijiang),
        "admin": AdminFactory(username="qj_admin", bureau=qijiang),
    }
