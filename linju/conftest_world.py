"""The small worlds most tests stand on, each a frozen dataclass whose attributes are what it holds.

`towns_and_staff` is the smallest: three towns, a resident in each and staff of every kind. `served`
adds what the bureau serves them with: stations, the district hall, a market, the holidays and four
items. The apps' own fixtures grow these (`job_market`, `counted_november`, `outreach_towns` ...): a
fixture that adds objects returns a subclass, one that only adds rows returns the object it was given.
"""

import dataclasses
import datetime
from typing import TypeVar

import pytest

from linju.accounts.models import User
from linju.accounts.tests.factories import AdminFactory, CadreFactory, LeaderFactory, UserFactory
from linju.catalog.models import Delegation, ServiceItem
from linju.catalog.tests.factories import DelegationFactory, ServiceItemFactory
from linju.geo.models import MarketPlace, ServicePoint, Town, Village
from linju.geo.tests.factories import (
    BureauFactory,
    MarketPlaceFactory,
    ServicePointFactory,
    TownFactory,
    VillageFactory,
)
from linju.people.models import Resident
from linju.people.tests.factories import ResidentFactory
from linju.workdays.services import holidays_import_from_package

Grown = TypeVar("Grown", bound="TownsAndStaff")


@dataclasses.dataclass(frozen=True)
class TownsAndStaff:
    """Two 綦江 towns and one 万盛 town, a resident in each, and staff of every kind."""

    yongxin: Town  # 永新镇, 綦江
    dongxi: Town  # 东溪镇, 綦江
    jingshan: Village  # 荆山村, 永新镇
    longjing: Village  # 龙井村, 东溪镇
    dai: Resident  # 代云峰 of 荆山村, with a phone
    zhou: Resident  # 周开明 of 龙井村
    wansheng_resident: Resident  # 王大山 of 南桐村, 南桐镇 (万盛: another bureau)
    cadre: User  # yongxin_cadre, 永新镇's
    dongxi_cadre: User  # dongxi_cadre, 东溪镇's
    staff: User  # qj_staff, the 綦江 bureau's
    ws_staff: User  # ws_staff, the 万盛 bureau's
    leader: User  # qj_leader
    admin: User  # qj_admin

    def grown(self, into: type[Grown], **more) -> Grown:
        """This world as a bigger one (`into`, a subclass) holding `more` as well: the same objects."""
        held = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        return into(**held, **more)


@dataclasses.dataclass(frozen=True)
class ServedTowns(TownsAndStaff):
    """The towns and staff with what serves them: a station in each 綦江 town (永新镇's `station`,
    东溪镇's `station-dx`), the district `hall` in 东溪镇, the 升平 `market` in 永新镇, the packaged
    holidays, and four items: UI-002 finished in both towns, MD-005 accepted and forwarded to the
    district, LR-002 not delegated, PE-003 finished and with no time limit."""

    station: ServicePoint  # station-yx, 永新镇社保服务所
    hall: ServicePoint  # hall-qj, 綦江区人力社保局服务大厅 (in 东溪镇)
    market: MarketPlace  # market-shengping, 升平片场 (a satellite market in 永新镇)
    ui: ServiceItem  # UI-002 失业保险金申领, 5 days, every channel
    md: ServiceItem  # MD-005 医疗救助申请, 7 days, not online
    lr: ServiceItem  # LR-002 劳动人事争议仲裁申请, 5 days, not delegated
    pe: ServiceItem  # PE-003 宅基地复垦户养老保险办理, no time limit


@pytest.fixture
def towns_and_staff(db) -> TownsAndStaff:
    """Two 綦江 towns (永新镇 with 荆山村, 东溪镇 with 龙井村) and 万盛's 南桐镇, a resident in each,
    and staff of every kind: see `TownsAndStaff`."""
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
    return TownsAndStaff(
        yongxin=yongxin,
        dongxi=dongxi,
        jingshan=jingshan,
        longjing=longjing,
        dai=ResidentFactory(name="代云峰", village=jingshan, phone="13912345678"),
        zhou=ResidentFactory(name="周开明", village=longjing),
        wansheng_resident=ResidentFactory(name="王大山", village=nantong_village),
        cadre=CadreFactory(username="yongxin_cadre", bureau=qijiang, towns=[yongxin]),
        dongxi_cadre=CadreFactory(username="dongxi_cadre", bureau=qijiang, towns=[dongxi]),
        staff=UserFactory(username="qj_staff", bureau=qijiang),
        ws_staff=UserFactory(username="ws_staff", bureau=wansheng),
        leader=LeaderFactory(username="qj_leader", bureau=qijiang),
        admin=AdminFactory(username="qj_admin", bureau=qijiang),
    )


TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day, hour=10):
    """10 o'clock (or `hour`) in Chongqing on that day."""
    return datetime.datetime(year, month, day, hour, 0, tzinfo=TZ)


@pytest.fixture
def served(towns_and_staff) -> ServedTowns:
    """`towns_and_staff` with stations, the district hall, the 升平 market, the holidays and four items:
    UI-002 finished in the towns, MD-005 accepted for the district, LR-002 not delegated, PE-003 with no
    time limit. See `ServedTowns`."""
    holidays_import_from_package()
    yongxin, dongxi = towns_and_staff.yongxin, towns_and_staff.dongxi
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
    return towns_and_staff.grown(
        ServedTowns, station=station, hall=hall, market=market, ui=ui, md=md, lr=lr, pe=pe
    )
