"""The 退休一件事 bundle the bundle-case tests stand on: the bureau's retirement approval (not
delegated: the district finishes it) and pension claim (finished at 永新镇's station), and the
housing fund's withdrawal at a partner office (synthetic), one paper asked by all three."""

import dataclasses
import datetime

import pytest

from linju.catalog.bundles import bundles_changed
from linju.catalog.models import Bundle, BundlePart, BundleVersion, Delegation, PartnerOffice, ServiceItem
from linju.catalog.tests.factories import DelegationFactory, MaterialFactory, ServiceItemFactory
from linju.conftest_world import ServedTowns

ALL_CHANNELS = ["counter", "booth", "phone", "online", "home_visit"]


@dataclasses.dataclass(frozen=True)
class Retirement(ServedTowns):
    bundle: Bundle
    approval: ServiceItem  # RT-001 退休审批, 10 working days, the district's
    pension: ServiceItem  # RT-002 基本养老金申领, 5 working days, 永新镇's station finishes it
    housing: ServiceItem  # HF-001 住房公积金提取, 3 working days at the partner, 1 day to get there
    fund_office: PartnerOffice  # 綦江住房公积金管理中心 (synthetic)


@pytest.fixture
def retirement(served) -> Retirement:
    approval = ServiceItemFactory(code="RT-001", name="退休审批", time_limit_days=10, channels=ALL_CHANNELS)
    pension = ServiceItemFactory(
        code="RT-002", name="基本养老金申领", time_limit_days=5, channels=ALL_CHANNELS
    )
    housing = ServiceItemFactory(
        code="HF-001", name="住房公积金提取", time_limit_days=3, channels=ALL_CHANNELS
    )
    for item in (approval, pension, housing):
        MaterialFactory(item=item, name="居民身份证", position=0)
    MaterialFactory(item=approval, name="户口簿", position=1)
    MaterialFactory(item=pension, name="银行卡", position=1)
    MaterialFactory(item=housing, name="公积金联名卡", position=1)
    DelegationFactory(
        item=pension, town=served.yongxin, mode=Delegation.Mode.FINISH, valid_from=datetime.date(2020, 1, 1)
    )
    fund_office = PartnerOffice.objects.create(
        bureau=served.yongxin.bureau,
        code="hf-qj",
        name="綦江住房公积金管理中心（示例）",
        department="housing_fund",
        phone="023-48600000",
        address="綦江区文龙街道",
        delivery=PartnerOffice.Delivery.COURIER,
        delivery_address="綦江区文龙街道公积金中心收件窗口",
        delivery_days=1,
        is_synthetic=True,
    )
    bundle = Bundle.objects.create(
        bureau=served.yongxin.bureau,
        code="retire",
        name="退休一件事",
        name_en="Retiring, in one application",
        description="退休审批、养老金申领和公积金提取，一次申请。",
        is_example=True,
    )
    version = BundleVersion.objects.create(bundle=bundle, valid_from=datetime.date(2025, 1, 1))
    BundlePart.objects.create(version=version, item=approval, is_lead=True, position=0)
    BundlePart.objects.create(version=version, item=pension, position=1)
    BundlePart.objects.create(version=version, item=housing, partner=fund_office, position=2)
    bundles_changed()
    return served.grown(
        Retirement,
        bundle=bundle,
        approval=approval,
        pension=pension,
        housing=housing,
        fund_office=fund_office,
    )
