import datetime

import pytest

from linju.accounts.tests.factories import CadreFactory
from linju.cases.services import Intake, NewPerson
from linju.core.errors import Conflict, DomainError, PermissionDenied
from linju.geo.tests.factories import MarketPlaceFactory, VillageFactory
from linju.outreach.models import BoothSession, Certification, HomeTask, Pensioner, VisitRecord
from linju.outreach.selectors import certification_roster, visit_coverage
from linju.outreach.services import (
    NeedIn,
    booth_plan_generate,
    booth_session_create,
    certification_home_tasks,
    consultation_log,
    consultation_to_case,
    home_task_complete,
    visit_record,
)
from linju.people.idnumbers import build_id_number
from linju.people.tests.factories import ResidentFactory

D = datetime.date


def test_plan_respects_the_cadres_limit_and_lists_what_is_not_covered(outreach_towns):
    result = booth_plan_generate(actor=outreach_towns.staff, month=D(2026, 12, 1))
    # 逢二五八 in December: 2, 5, 8, 12, 15, 18, 22, 25, 28 — nine days, one cadre allowed five.
    assert [b.date.day for b in result.created] == [2, 5, 8, 12, 15]
    assert [d.day for _m, d, _r in result.conflicts] == [18, 22, 25, 28]
    assert {r for _m, _d, r in result.conflicts} == {"镇街干部本月赶场天数都已到上限"}
    assert all(b.staff.get() == outreach_towns.cadre for b in result.created)
    assert set(result.created[0].items.values_list("code", flat=True)) == {"UI-002", "MD-005", "PE-003"}
    again = booth_plan_generate(actor=outreach_towns.staff, month=D(2026, 12, 1))
    assert not again.created and again.existing == 5


def test_plan_never_double_books_a_cadre(outreach_towns):
    MarketPlaceFactory(town=outreach_towns.yongxin, code="market-yx", name="永新场镇", cycle="逢二五八")
    CadreFactory(username="yx2", bureau=outreach_towns.yongxin.bureau, towns=[outreach_towns.yongxin])
    result = booth_plan_generate(actor=outreach_towns.staff, month=D(2026, 12, 1))
    by_day: dict = {}
    for booth in result.created:
        for member in booth.staff.all():
            assert (member.pk, booth.date) not in by_day
            by_day[(member.pk, booth.date)] = booth
    assert {m.username for b in result.created for m in b.staff.all()} == {"yongxin_cadre", "yx2"}
    # limits: 5 for yongxin_cadre, the default 8 for yx2; 18 market days in all, so 5 are listed as not covered
    assert len(result.created) == 13 and len(result.conflicts) == 5


def test_a_booth_only_on_a_market_day_and_nobody_twice_a_day(outreach_towns):
    with pytest.raises(DomainError) as error:
        booth_session_create(
            actor=outreach_towns.staff,
            market_code="market-shengping",
            day=D(2026, 12, 3),
            staff_ids=[outreach_towns.cadre.pk],
        )
    assert error.value.code == "not_a_market_day"
    booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=D(2026, 12, 2),
        staff_ids=[outreach_towns.cadre.pk],
    )
    other = MarketPlaceFactory(
        town=outreach_towns.yongxin, code="market-yx", name="永新场镇", cycle="逢二五八"
    )
    with pytest.raises(Conflict) as error:
        booth_session_create(
            actor=outreach_towns.staff,
            market_code=other.code,
            day=D(2026, 12, 2),
            staff_ids=[outreach_towns.cadre.pk],
        )
    assert error.value.code == "double_booked"


def test_leaders_do_not_plan_booths(outreach_towns):
    with pytest.raises(PermissionDenied):
        booth_plan_generate(actor=outreach_towns.leader, month=D(2026, 12, 1))


def test_a_consultation_at_shengping_becomes_a_case(outreach_towns):
    """On a 升平 market day a cadre is asked about a brother's medical costs and takes a case,
    with an answer promised in 7 working days."""
    booth = booth_session_create(
        actor=outreach_towns.cadre,
        market_code="market-shengping",
        day=D(2026, 11, 25),
        staff_ids=[outreach_towns.cadre.pk],
    )
    consultation_log(actor=outreach_towns.cadre, booth_id=booth.pk, item_code="UI-002", note="问失业金")
    brother = NewPerson(
        name="代云山",
        id_number=build_id_number("500222", D(1988, 4, 4), 31),
        phone="13512345678",
        village_code="500110113225",
    )
    from linju.conftest_world import at

    consultation = consultation_to_case(
        actor=outreach_towns.cadre,
        booth_id=booth.pk,
        note="哥哥住院费用负担重",
        intake=Intake(
            item_code="MD-005", channel="counter", person=brother, materials_received=["居民身份证原件"]
        ),
        now=at(2026, 11, 25),
    )
    case = consultation.case
    assert case.channel == "booth" and case.taken_at_market.name == "升平片场"
    assert case.promised_date == D(2026, 12, 4)  # 7 working days after 25 Nov
    booth.refresh_from_db()
    assert booth.status == "held" and booth.consultations.count() == 2


def test_visit_with_needs_and_coverage(outreach_towns):
    other = VillageFactory(town=outreach_towns.yongxin, code="500110113200", name="伏牛村")
    visit_record(
        actor=outreach_towns.cadre,
        village_code="500110113225",
        day=D(2026, 11, 20),
        cadre_ids=[outreach_towns.cadre.pk],
        households_met=12,
        needs=[
            NeedIn("咨询养老金", "closed"),
            NeedIn("奶奶需要上门认证", "follow_up", due_date=D(2026, 12, 4)),
            NeedIn("失业金", "case", resident_id=outreach_towns.dai.pk, item_code="UI-002"),
        ],
    )
    visit = VisitRecord.objects.get()
    assert visit.needs.count() == 3 and visit.needs.get(outcome="case").case.channel == "home_visit"
    rows = {r.village.code: r for r in visit_coverage(viewer=outreach_towns.cadre, today=D(2026, 11, 26))}
    assert rows["500110113225"].state == "ok" and rows["500110113225"].due == D(2026, 12, 20)
    assert rows[other.code].state == "never"
    later = {r.village.code: r for r in visit_coverage(viewer=outreach_towns.cadre, today=D(2027, 1, 5))}
    assert later["500110113225"].state == "overdue"
    assert "500110109210" not in rows  # 东溪镇 is not the cadre's


def test_follow_up_needs_a_date(outreach_towns):
    with pytest.raises(DomainError):
        visit_record(
            actor=outreach_towns.cadre,
            village_code="500110113225",
            day=D(2026, 11, 20),
            cadre_ids=[],
            needs=[NeedIn("x", "follow_up")],
        )
    assert not VisitRecord.objects.exists()


def test_a_pensioner_of_funiu_is_certified_at_home(outreach_towns):
    """A pensioner of 伏牛村 who cannot travel is certified by fingerprint at home and leaves the due list."""
    funiu = VillageFactory(town=outreach_towns.yongxin, code="500110113200", name="伏牛村")
    elder = ResidentFactory(
        name="刘婆婆",
        village=funiu,
        birth_date=D(1938, 3, 9),
        id_number=build_id_number("500222", D(1938, 3, 9), 40),
    )
    pensioner = Pensioner.objects.create(bureau=elder.bureau, resident=elder, cannot_travel=True)
    rows = certification_roster(
        viewer=outreach_towns.cadre, year=2026, village_code=funiu.code, today=D(2026, 4, 10)
    )
    assert rows[0].overdue and rows[0].due_by == D(2026, 3, 31)
    assert certification_home_tasks(year=2026, today=D(2026, 4, 10)) == 1
    assert certification_home_tasks(year=2026, today=D(2026, 4, 11)) == 0  # once a year
    task = HomeTask.objects.get(resident=elder)
    assert task.kind == "certification" and task.assigned_to == outreach_towns.cadre
    home_task_complete(
        actor=outreach_towns.cadre, task_id=task.pk, result="上门指纹认证通过", done_on=D(2026, 4, 12)
    )
    certification = Certification.objects.get(pensioner=pensioner, year=2026)
    assert certification.method == "home_visit"
    rows = certification_roster(
        viewer=outreach_towns.cadre, year=2026, village_code=funiu.code, today=D(2026, 4, 13)
    )
    assert not rows[0].overdue and rows[0].certification == certification
    with pytest.raises(Conflict):
        home_task_complete(actor=outreach_towns.cadre, task_id=task.pk, result="again")


def test_booth_places_join_the_where_ranking(outreach_towns):
    from linju.conftest_world import at
    from linju.geo.models import TravelTime
    from linju.portal.where import places_to_apply

    TravelTime.objects.create(
        village=outreach_towns.jingshan,
        market_place=outreach_towns.market,
        minutes=15,
        mode="walk",
        source="synthetic",
    )
    booth = booth_session_create(
        actor=outreach_towns.staff,
        market_code="market-shengping",
        day=D(2026, 12, 2),
        staff_ids=[outreach_towns.cadre.pk],
    )
    assert booth.items.filter(code="UI-002").exists()
    places = places_to_apply(item=outreach_towns.ui, village=outreach_towns.jingshan, now=at(2026, 11, 30))
    assert places[0].kind == "booth" and places[0].minutes == 15
    assert places[0].next_open.date() == D(2026, 12, 2)
    assert BoothSession.objects.count() == 1
