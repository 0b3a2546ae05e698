"""Small factories for the pay, wage-guide, help and directory tests: a gig at the 升平 market (or a
station), a worker of 荆山村, a sign-in and a dispatch, each made directly (no posting service)."""

import dataclasses
import datetime
from decimal import Decimal

import factory
import pytest
from django.utils import timezone

from linju.catalog.tests.factories import ServiceItemFactory
from linju.conftest_world import ServedTowns
from linju.geo.models import ServicePoint
from linju.geo.tests.factories import ServicePointFactory, VillageFactory
from linju.gigs.models import Dispatch, Gig, GigWorker, PayUnit, SignIn, WageGuidePrice, WorkType
from linju.gigs.wage_guide import wage_guide_changed


class WorkTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkType
        django_get_or_create = ["code"]

    code = "picking"
    name = "采摘工"
    name_en = "picker"


class WageGuidePriceFactory(factory.django.DjangoModelFactory):
    """A guide price per day: 低位数 150, 中位数 180, 高位数 220 (the guide is held: creating one says so)."""

    class Meta:
        model = WageGuidePrice

    bureau = None
    year = 2026
    work_type = factory.SubFactory(WorkTypeFactory)
    unit = PayUnit.DAY
    low = Decimal("150")
    middle = Decimal("180")
    high = Decimal("220")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        price = super()._create(model_class, *args, **kwargs)
        wage_guide_changed()
        return price


def gig_station(town, code="gig-station-yx", **fields) -> ServicePoint:
    """A 零工驿站 of the town (public)."""
    defaults = {
        "kind": ServicePoint.Kind.GIG_STATION,
        "operator": ServicePoint.Operator.PUBLIC,
        "name": f"{town.name}零工驿站",
        "address": f"{town.name}街上1号",
    }
    return ServicePointFactory(town=town, code=code, **(defaults | fields))


class GigFactory(factory.django.DjangoModelFactory):
    """A day of picking in 荆山村 posted at the 升平 market: 8:00–17:00, 160 yuan a day, two people."""

    class Meta:
        model = Gig

    village = factory.SubFactory(VillageFactory)
    bureau = factory.SelfAttribute("town.bureau")
    town = factory.SelfAttribute("village.town")
    market = None
    service_point = None
    work_type = factory.SubFactory(WorkTypeFactory)
    title = "采摘柑橘"
    starts_on = datetime.date(2026, 12, 1)
    ends_on = factory.SelfAttribute("starts_on")
    start_time = datetime.time(8, 0)
    end_time = datetime.time(17, 0)
    pay = Decimal("160")
    pay_unit = PayUnit.DAY
    headcount = 2
    employer_name = "荆山果园合作社"
    contact_name = "刘主任"
    contact_phone = "13800001111"


class GigWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GigWorker
        skip_postgeneration_save = True

    bureau = factory.SelfAttribute("resident.bureau")

    @factory.post_generation
    def villages(self, create, extracted, **kwargs):
        if create:
            self.villages.set(extracted if extracted is not None else [self.resident.village])


class SignInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignIn

    bureau = factory.SelfAttribute("worker.bureau")
    day = datetime.date(2026, 12, 1)
    signed_in_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(datetime.datetime.combine(o.day, datetime.time(7, 30)))
    )
    channel = SignIn.Channel.BOOTH


class DispatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispatch

    bureau = factory.SelfAttribute("gig.bureau")
    position = 1
    reasons = factory.LazyFunction(lambda: ["签到第1位"])
    status = Dispatch.Status.SENT


def inspection_item():
    """劳动保障监察投诉 (LR-001), taken through every channel, as in the catalogue."""
    return ServiceItemFactory(
        code="LR-001",
        name="劳动保障监察投诉",
        time_limit_days=5,
        channels=["counter", "booth", "phone", "home_visit", "online"],
    )


@dataclasses.dataclass(frozen=True)
class GigDay(ServedTowns):
    """`served` with a day of picking at the 升平 market on 1 December 2026 (160 yuan a day, guide
    150/180/220 a day), 代云峰 of 荆山村 signed in there and sent to it, and 劳动保障监察投诉 in the
    catalogue."""

    picking: WorkType
    gig: Gig
    worker: GigWorker  # 代云峰
    sign_in: SignIn
    dispatch: Dispatch


@pytest.fixture(name="gig_day")
def gig_day_fixture(served) -> GigDay:
    inspection_item()
    picking = WorkTypeFactory()
    WageGuidePriceFactory(bureau=served.yongxin.bureau, work_type=picking)
    gig = GigFactory(village=served.jingshan, market=served.market, work_type=picking, posted_by=served.cadre)
    worker = GigWorkerFactory(resident=served.dai)
    sign_in = SignInFactory(worker=worker, market=served.market)
    dispatch = DispatchFactory(gig=gig, worker=worker, sign_in=sign_in, dispatched_by=served.cadre)
    return served.grown(GigDay, picking=picking, gig=gig, worker=worker, sign_in=sign_in, dispatch=dispatch)
