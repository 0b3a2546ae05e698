import datetime

import pytest

from linju.accounts.tests.factories import AdminFactory, CadreFactory, LeaderFactory, UserFactory
from linju.catalog.models import Delegation
from linju.catalog.tests.factories import DelegationFactory, ServiceItemFactory
from linju.geo.models import MarketPlace, ServicePoint
from linju.geo.tests.factories import (
    BureauFactory,
    MarketPlaceFactory,
    ServicePointFactory,
    TownFactory,
    VillageFactory,
)
from linju.people.tests.factories import ResidentFactory
from linju.workdays.services import holidays_import_from_package


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


TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def cw(world):
    """The `world` (永新镇, 东溪镇, 南桐镇 and their staff) with stations, a hall, a market, holidays,
    and three items: finished at 永新镇 (UI-002), accepted for the district (MD-005), not delegated (LR-002)."""
    holidays_import_from_package()
    yongxin, dongxi = world["yongxin"], world["dongxi"]
    station = ServicePointFactory(town=yongxin, code="station-yx", name="永新镇社保服务所")
    ServicePointFactory(town=dongxi, code="station-dx", name="东溪镇社保服务所")
    hall = ServicePointFactory(
        town=dongxi, code="hall-qj", kind=ServicePoint.Kind.DISTRICT_HALL, name="綦江区人力社保局服务大厅"
    )
    market = MarketPlaceFactory(
        town=yongxin, code="market-shengping", name="升平片场", kind=MarketPlace.Kind.SATELLITE
    )
    since = datetime.date(2014, 7, 1)
    ui = ServiceItemFactory(
        code="UI-002",
        name="失业保险金申领",
        time_limit_days=5,
        channels=["counter", "booth", "phone", "online", "home_visit"],
    )
    md = ServiceItemFactory(
        code="MD-005",
        name="医疗救助申请",
        time_limit_days=7,
        channels=["counter", "booth", "phone", "home_visit"],
    )
    lr = ServiceItemFactory(code="LR-002", name="劳动人事争议仲裁申请", time_limit_days=5)
    pe = ServiceItemFactory(code="PE-003", name="宅基地复垦户养老保险办理", time_limit_days=0)
    for item, mode in (
        (ui, Delegation.Mode.FINISH),
        (md, Delegation.Mode.ACCEPT_FORWARD),
        (pe, Delegation.Mode.FINISH),
    ):
        DelegationFactory(item=item, town=yongxin, mode=mode, valid_from=since)
        DelegationFactory(item=item, town=dongxi, mode=mode, valid_from=since)
    return world | {
        "station": station,
        "hall": hall,
        "market": market,
        "ui": ui,
        "md": md,
        "lr": lr,
        "pe": pe,
    }
