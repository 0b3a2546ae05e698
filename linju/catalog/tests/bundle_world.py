"""A small world with a bundle in it, for the tests of every app that reads bundles: import the
fixture in the app's tests/conftest.py (`from linju.catalog.tests.bundle_world import bundled`)."""

import dataclasses
import datetime

import pytest

from linju.catalog.models import Bundle, BundleVersion, PartnerOffice, ServiceItem
from linju.catalog.tests.factories import (
    BundleFactory,
    BundlePartFactory,
    BundleVersionFactory,
    PartnerOfficeFactory,
    ServiceItemFactory,
)
from linju.conftest_world import ServedTowns


@dataclasses.dataclass(frozen=True)
class BundledTowns(ServedTowns):
    """`served` with 綦江's bundle QJ-RETIRE (退休一件事, from 2025-01-01): UI-002 leads (finished at the
    towns' stations), MD-005 (forwarded to the district), and HF-001 (住房公积金提取, 15 working days)
    finished by the partner office `fund` (synthetic, sent through the data-sharing platform)."""

    fund: PartnerOffice
    fund_item: ServiceItem
    bundle: Bundle
    version: BundleVersion


@pytest.fixture
def bundled(served) -> BundledTowns:
    bureau = served.yongxin.bureau
    fund = PartnerOfficeFactory(bureau=bureau, code="housing-fund", name="住房公积金綦江分中心(示例)")
    fund_item = ServiceItemFactory(code="HF-001", name="住房公积金提取", time_limit_days=15)
    bundle = BundleFactory(bureau=bureau, code="QJ-RETIRE", name="退休一件事", keywords="办退休 养老金")
    version = BundleVersionFactory(bundle=bundle, valid_from=datetime.date(2025, 1, 1))
    BundlePartFactory(version=version, item=served.ui, is_lead=True, position=1)
    BundlePartFactory(version=version, item=served.md, position=2)
    BundlePartFactory(version=version, item=fund_item, partner=fund, position=3)
    return served.grown(BundledTowns, fund=fund, fund_item=fund_item, bundle=bundle, version=version)
