"""The directory of job services near home: every 零工市场, 零工驿站 and 家门口就业服务站 with the
province's fields, the quarter's seekers and hires computed from sign-ins and dispatches, and its
workbook (every field, text cells never formulas)."""

import datetime
from io import BytesIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from openpyxl import load_workbook

from linju.core.errors import DomainError, PermissionDenied
from linju.geo.models import ServicePoint
from linju.gigs.directory import Quarter, directory, directory_xlsx, header
from linju.gigs.models import Dispatch
from linju.gigs.tests.factories_pay import (
    DispatchFactory,
    GigFactory,
    GigWorkerFactory,
    SignInFactory,
    gig_day_fixture,  # noqa: F401  (the fixture gig_day)
    gig_station,
)
from linju.people.tests.factories import ResidentFactory

Q4 = Quarter(2026, 4)


@pytest.fixture
def stations(gig_day):
    """永新镇's 零工驿站 (public) with three workers signed in in the fourth quarter (one of them on
    two days, one also in September), four gigs posted there (three sent, one cancelled, one begun
    in January); 东溪镇's 家门口就业服务站 with nothing yet; a town station (not in the directory)."""
    station = gig_station(
        gig_day.yongxin, work_types=["picking"], village=gig_day.jingshan, phone="023-48611111"
    )
    near_home = gig_station(
        gig_day.dongxi,
        code="job-station-lj",
        kind=ServicePoint.Kind.JOB_STATION,
        operator="",
        name="=龙井村家门口就业服务站",
        village=gig_day.longjing,
    )
    workers = [gig_day.worker] + [
        GigWorkerFactory(resident=ResidentFactory(village=gig_day.jingshan)) for _n in range(2)
    ]
    for worker, day in (
        (workers[0], datetime.date(2026, 10, 9)),
        (workers[0], datetime.date(2026, 11, 3)),
        (workers[1], datetime.date(2026, 11, 3)),
        (workers[2], datetime.date(2026, 12, 20)),
        (workers[2], datetime.date(2026, 9, 30)),
    ):
        SignInFactory(worker=worker, service_point=station, day=day)
    gigs = [
        GigFactory(
            village=gig_day.jingshan,
            service_point=station,
            work_type=gig_day.picking,
            posted_by=gig_day.cadre,
            starts_on=day,
        )
        for day in (datetime.date(2026, 11, 3), datetime.date(2026, 11, 4), datetime.date(2027, 1, 4))
    ]
    DispatchFactory(gig=gigs[0], worker=workers[0], dispatched_by=gig_day.cadre)
    DispatchFactory(gig=gigs[0], worker=workers[1], dispatched_by=gig_day.cadre, status=Dispatch.Status.DONE)
    DispatchFactory(gig=gigs[1], worker=workers[2], dispatched_by=gig_day.cadre)
    DispatchFactory(gig=gigs[1], worker=workers[0], dispatched_by=gig_day.cadre, status="cancelled")
    DispatchFactory(gig=gigs[2], worker=workers[1], dispatched_by=gig_day.cadre)
    return station, near_home


def test_the_quarters_seekers_and_hires_come_from_sign_ins_and_dispatches(gig_day, stations):
    station, near_home = stations
    rows = {row.point: row for row in directory(viewer=gig_day.staff, quarter=Q4)}
    assert set(rows) == {station, near_home}  # the town stations are not job services of the directory
    row = rows[station]
    assert (row.seekers, row.hires, row.days_in_use) == (3, 3, 4)  # 10-09, 11-03, 11-04, 12-20
    assert str(row.hires_a_day) == "0.8" and row.work_types == ["采摘工"] and row.work_types_entered
    empty = rows[near_home]
    assert (empty.seekers, empty.hires, empty.days_in_use, str(empty.hires_a_day)) == (0, 0, 0, "0.0")


def test_main_work_types_come_from_the_gigs_posted_when_none_are_entered(gig_day, stations):
    station, _near_home = stations
    station.work_types = []
    station.save()
    row = next(r for r in directory(viewer=gig_day.staff, quarter=Q4) if r.point == station)
    assert row.work_types == ["采摘工"] and not row.work_types_entered


def test_each_sees_the_places_of_their_towns(gig_day, stations):
    station, near_home = stations
    assert [r.point for r in directory(viewer=gig_day.cadre, quarter=Q4)] == [station]
    assert [r.point for r in directory(viewer=gig_day.leader, quarter=Q4)] == [near_home, station]
    assert directory(viewer=gig_day.ws_staff, quarter=Q4) == []


def test_the_workbook_has_every_field_in_chinese_and_text_never_a_formula(gig_day, stations):
    content, count = directory_xlsx(viewer=gig_day.staff, quarter=Q4)
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    with translation.override("zh-hans"):
        assert list(rows[0]) == [str(h) for h in header()]
    assert count == 2 and len(rows) == 3
    by_name = {r[1]: r for r in rows[1:]}
    station = by_name["永新镇零工驿站"]
    assert station[4:] == (
        "永新镇",
        "荆山村",
        "永新镇街上1号",
        "023-48611111",
        "2026Q4",
        3,
        "采摘工",
        4,
        3,
        0.8,
    )
    assert "=龙井村家门口就业服务站" in by_name
    formula = next(c for c in sheet.iter_rows(min_row=2) if c[1].value.startswith("="))[1]
    assert formula.data_type == "s"


def test_the_quarter_is_chosen_in_plain_words(gig_day):
    today = datetime.date(2026, 12, 6)
    assert Quarter.parse("", today) == Q4 and Quarter.parse("2026q1") == Quarter(2026, 1)
    assert (Q4.start, Q4.end) == (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))
    assert Q4.following() == Quarter(2027, 1) and Quarter(2027, 1).previous() == Q4
    for bad in ("2026Q5", "Q4", "1999Q1", "2026-13"):
        with pytest.raises(DomainError):
            Quarter.parse(bad, today)


def test_someone_signed_out_sees_no_directory(gig_day):
    with pytest.raises(PermissionDenied):
        directory(viewer=AnonymousUser(), quarter=Q4)


def test_the_directory_reads_in_six_queries_whatever_the_number_of_places(
    gig_day, stations, django_assert_num_queries
):
    for n in range(5):
        gig_station(gig_day.yongxin, code=f"more-{n}", name=f"零工驿站{n}")
    directory(viewer=gig_day.staff, quarter=Q4)  # the viewer's towns, read once
    with django_assert_num_queries(6):
        rows = directory(viewer=gig_day.staff, quarter=Q4)
    assert len(rows) == 7
