"""The gig market of the tests: work types, three workers of 永新镇 registered at 升平片场,
and a gig posted there."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from linju.conftest_world import ServedTowns
from linju.gigs.models import Gig, GigWorker, WorkType
from linju.gigs.services.posting import gig_post
from linju.gigs.services.signing_in import gig_worker_register
from linju.people.models import Resident
from linju.people.tests.factories import ResidentFactory


@dataclasses.dataclass(frozen=True)
class GigMarket(ServedTowns):
    """`served` with the list of work (harvest, masonry heavy, cleaning), three workers who can
    reach 荆山村 — 代云峰 (harvest, 7:00–18:00), 李秀英 (masonry, takes heavy work), 张小燕 (no skill
    named, free only 13:00–18:00) — and a morning harvest gig at 升平片场 today for two people."""

    harvest: WorkType
    masonry: WorkType
    cleaning: WorkType
    dai_worker: GigWorker
    li: Resident
    li_worker: GigWorker
    zhang: Resident
    zhang_worker: GigWorker
    picking: Gig  # 采摘柑橘, 8:00–12:00 today in 荆山村, 2 people, 150 yuan a day


@pytest.fixture(autouse=True)
def market_morning(monkeypatch):
    """The gig tests run in the market's morning: the clock reads 07:00 today (the bureau's local time)
    and moves on from there, so a gig posted for this morning is still to be worked whenever the suite
    runs. A test of a later hour sets its own clock."""
    real = timezone.now
    morning = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(7, 0)))
    offset = morning - real()
    monkeypatch.setattr(timezone, "now", lambda: real() + offset)


def post(world, **changes) -> Gig:
    fields = {
        "actor": world.cadre,
        "place": "market:market-shengping",
        "work_type": "harvest",
        "village": world.jingshan.code,
        "title": "采摘柑橘",
        "start_time": datetime.time(8, 0),
        "end_time": datetime.time(12, 0),
        "pay": 150,
        "headcount": 2,
        "employer_name": "荆山柑橘合作社",
        "contact_name": "刘社长",
        "contact_phone": "13800001111",
    }
    return gig_post(**(fields | changes))


@pytest.fixture
def gig_market(served) -> GigMarket:
    harvest = WorkType.objects.create(code="harvest", name="采摘")
    masonry = WorkType.objects.create(code="masonry", name="泥瓦工", heavy=True)
    cleaning = WorkType.objects.create(code="cleaning", name="保洁")
    li = ResidentFactory(name="李秀英", village=served.jingshan, phone="13900002222")
    zhang = ResidentFactory(name="张小燕", village=served.jingshan, phone="")
    dai_worker = gig_worker_register(actor=served.cadre, resident_id=served.dai.pk, work_types=["harvest"])
    li_worker = gig_worker_register(
        actor=served.cadre, resident_id=li.pk, work_types=["masonry"], accepts_heavy=True
    )
    zhang_worker = gig_worker_register(
        actor=served.cadre,
        resident_id=zhang.pk,
        work_types=[],
        available_from=datetime.time(13, 0),
        available_until=datetime.time(18, 0),
    )
    picking = post(served, starts_on=timezone.localdate())
    return served.grown(
        GigMarket,
        harvest=harvest,
        masonry=masonry,
        cleaning=cleaning,
        dai_worker=dai_worker,
        li=li,
        li_worker=li_worker,
        zhang=zhang,
        zhang_worker=zhang_worker,
        picking=picking,
    )
