"""帮扶: the gig workers who signed in for N days without work and those in 就业困难 categories, per
village of the cadre's towns, with the gigs and vacancies they could take (hard constraints kept)."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from linju.audit.models import AuditEvent
from linju.core.errors import NotFound, PermissionDenied
from linju.core.request_context import RequestContext
from linju.gigs.help_selectors import help_list, help_list_seen
from linju.gigs.tests.factories_pay import (
    DispatchFactory,
    GigFactory,
    GigWorkerFactory,
    SignInFactory,
    gig_day_fixture,  # noqa: F401  (the fixture gig_day)
)
from linju.jobs.models import Employer, Vacancy
from linju.people.tests.factories import ResidentFactory

TODAY = datetime.date(2026, 12, 6)


def signed_in(worker, market, days):
    for day in days:
        SignInFactory(worker=worker, market=market, day=day)


def december(*days):
    return [datetime.date(2026, 12, d) for d in days]


@pytest.fixture
def village_of_workers(gig_day):
    """In 荆山村: 代云峰 worked on 1 December and signed in on the 2nd to the 5th (4 days); 林 signed
    in on five days with no work; 何 is 就业困难 and never signed in; 钱 signed in on three days. In
    东溪镇's 龙井村, 孙 signed in on six days."""
    market = gig_day.market
    signed_in(gig_day.worker, market, december(2, 3, 4, 5))
    lin = GigWorkerFactory(
        resident=ResidentFactory(
            name="林大勇", village=gig_day.jingshan, birth_date=datetime.date(1980, 5, 1)
        ),
        villages=[gig_day.jingshan, gig_day.longjing],
    )
    signed_in(lin, market, december(1, 2, 3, 4, 5))
    he = GigWorkerFactory(
        resident=ResidentFactory(
            name="何小梅", village=gig_day.jingshan, birth_date=datetime.date(1990, 1, 1)
        ),
        hardship=True,
        accepts_heavy=True,
    )
    qian = GigWorkerFactory(resident=ResidentFactory(name="钱三", village=gig_day.jingshan))
    signed_in(qian, market, december(3, 4, 5))
    sun = GigWorkerFactory(resident=ResidentFactory(name="孙四", village=gig_day.longjing))
    signed_in(sun, market, december(1, 2, 3, 4, 5, 6))
    return {"lin": lin, "he": he, "qian": qian, "sun": sun}


def gig(gig_day, **fields):
    defaults = {
        "village": gig_day.jingshan,
        "market": gig_day.market,
        "work_type": gig_day.picking,
        "posted_by": gig_day.cadre,
        "starts_on": datetime.date(2026, 12, 8),
    }
    return GigFactory(**(defaults | fields))


@override_settings(LINJU_GIG_IDLE_DAYS=5)
def test_those_idle_n_days_and_those_in_hardship_are_listed_for_their_village(gig_day, village_of_workers):
    listing = help_list(viewer=gig_day.cadre, today=TODAY)
    assert [(v.name, v.count) for v in listing.villages] == [("荆山村", 2)]
    rows = listing.shown.rows
    assert [(r.name, r.hardship, r.idle_days) for r in rows] == [("何小梅", True, 0), ("林大勇", False, 5)]
    assert rows[1].id_number != village_of_workers["lin"].resident.id_number and "*" in rows[1].id_number


@override_settings(LINJU_GIG_IDLE_DAYS=4)
def test_days_count_from_the_last_work_and_the_setting_decides(gig_day, village_of_workers):
    names = {r.name: r.idle_days for r in help_list(viewer=gig_day.cadre, today=TODAY).shown.rows}
    assert names == {"何小梅": 0, "林大勇": 5, "代云峰": 4}


def test_the_gigs_and_vacancies_beside_each_keep_reach_age_and_heavy_work(gig_day, village_of_workers):
    near = gig(gig_day, title="剪枝")
    over_there = gig(gig_day, title="龙井村搬运", village=gig_day.longjing)
    heavy = gig(gig_day, title="挑石头", heavy=True)
    young_only = gig(gig_day, title="年轻人采摘", max_age=40)
    gig(gig_day, title="下月的活", starts_on=datetime.date(2027, 1, 20))
    employer = Employer.objects.create(name="荆山食品厂", village=gig_day.jingshan)
    factory_job = Vacancy.objects.create(
        employer=employer,
        title="包装工",
        occupation_group="6",
        wage_min=3000,
        wage_max=3600,
        shifts=["day"],
        opened_on=TODAY,
    )
    Vacancy.objects.create(
        employer=employer,
        title="搬运工",
        occupation_group="6",
        wage_min=3500,
        wage_max=4000,
        shifts=["day"],
        heavy_manual=True,
        opened_on=TODAY,
    )
    rows = {r.name: r for r in help_list(viewer=gig_day.cadre, today=TODAY).shown.rows}
    lin, he = rows["林大勇"], rows["何小梅"]  # 46 and 36; 林 reaches 龙井村 too, 何 takes heavy work
    assert [g.title for g in lin.gigs] == [near.title, over_there.title]
    assert [g.title for g in he.gigs] == [near.title, heavy.title, young_only.title]
    assert [v.title for v in lin.vacancies] == [factory_job.title]
    assert {v.title for v in he.vacancies} == {"包装工", "搬运工"}


def test_an_older_worker_is_not_offered_work_for_the_young(gig_day, village_of_workers):
    gig(gig_day, title="年轻人采摘", max_age=40, pay=Decimal("200"))
    with override_settings(LINJU_GIG_IDLE_DAYS=4):
        rows = {r.name: r for r in help_list(viewer=gig_day.cadre, today=TODAY).shown.rows}
    assert rows["代云峰"].age > 40 and rows["代云峰"].gigs == []


def test_a_gig_the_worker_is_already_sent_to_is_not_offered_again(gig_day, village_of_workers):
    near = gig(gig_day, title="剪枝")
    DispatchFactory(gig=near, worker=village_of_workers["he"], dispatched_by=gig_day.cadre)
    rows = {r.name: r for r in help_list(viewer=gig_day.cadre, today=TODAY).shown.rows}
    assert near not in rows["何小梅"].gigs and near in rows["林大勇"].gigs


def test_each_cadre_sees_only_their_towns_and_leaders_none(gig_day, village_of_workers):
    assert [v.name for v in help_list(viewer=gig_day.dongxi_cadre, today=TODAY).villages] == ["龙井村"]
    with pytest.raises(NotFound):
        help_list(viewer=gig_day.cadre, village_code=gig_day.longjing.code, today=TODAY)
    with pytest.raises(PermissionDenied):
        help_list(viewer=gig_day.leader, today=TODAY)
    assert help_list(viewer=gig_day.ws_staff, today=TODAY).villages == []


def test_the_list_shown_is_recorded_once_with_who_was_on_it(gig_day, village_of_workers):
    listing = help_list(viewer=gig_day.cadre, today=TODAY)
    help_list_seen(viewer=gig_day.cadre, listing=listing, context=RequestContext())
    event = AuditEvent.objects.get(object_type="resident_list")
    assert event.detail["what"] == "gig_help_list"
    assert sorted(event.detail["residents"]) == sorted(r.worker.resident_id for r in listing.shown.rows)


def test_a_village_page_costs_the_same_queries_whatever_its_workers(
    gig_day, village_of_workers, django_assert_num_queries
):
    gig(gig_day, title="剪枝")
    employer = Employer.objects.create(name="荆山食品厂", village=gig_day.jingshan)
    Vacancy.objects.create(
        employer=employer,
        title="包装工",
        occupation_group="6",
        wage_min=3000,
        wage_max=3600,
        shifts=["day"],
        opened_on=TODAY,
    )
    for _n in range(6):
        worker = GigWorkerFactory(resident=ResidentFactory(village=gig_day.jingshan), hardship=True)
        signed_in(worker, gig_day.market, december(2))
    help_list(viewer=gig_day.cadre, today=TODAY)  # the viewer's towns, read once
    with django_assert_num_queries(7):
        listing = help_list(viewer=gig_day.cadre, today=TODAY)
    assert len(listing.shown.rows) == 8


def test_a_gig_whose_hours_today_are_over_is_not_offered(gig_day, village_of_workers):
    """At 18:00 on the 6th (the bureau's local time): the morning's gig of the day is over, the
    evening's and tomorrow's are work to offer."""
    at_six = timezone.make_aware(datetime.datetime(2026, 12, 6, 18, 0))
    morning = gig(gig_day, title="上午采摘", starts_on=TODAY, end_time=datetime.time(12, 0))
    evening = gig(
        gig_day,
        title="晚上分拣",
        starts_on=TODAY,
        start_time=datetime.time(18, 0),
        end_time=datetime.time(22, 0),
    )
    tomorrow = gig(gig_day, title="明天采摘", starts_on=TODAY + datetime.timedelta(days=1))
    rows = {r.name: r for r in help_list(viewer=gig_day.cadre, today=TODAY, now=at_six).shown.rows}
    assert [g.title for g in rows["何小梅"].gigs] == [evening.title, tomorrow.title]
    at_seven = at_six.replace(hour=7)
    rows = {r.name: r for r in help_list(viewer=gig_day.cadre, today=TODAY, now=at_seven).shown.rows}
    assert morning.title in [g.title for g in rows["何小梅"].gigs]
