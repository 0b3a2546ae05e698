"""Two cases of the founding article on the demo data: medical assistance taken at the 升平 booth, and a
homestead reclamation pension finished on the spot at 东溪."""

import datetime

from linju.accounts.models import User
from linju.cases.services import Intake, NewPerson, Outcome, case_accept, case_transition
from linju.conftest_world import at
from linju.notify.models import OutboxMessage
from linju.people.idnumbers import build_id_number
from linju.people.models import Resident

D = datetime.date


def test_medical_assistance_at_the_shengping_booth(demo_read, django_capture_on_commit_callbacks):
    """A grandmother of 荆山村 asks for medical assistance at the 升平 market-day booth; the cadre
    promises an answer within 7 working days, the diagnosis and the cost estimate are missing, the
    clock stops until they arrive, then the case is answered."""
    cadre = User.objects.get(username="yongxin_cadre")
    grandmother = NewPerson(
        name="代奶奶",
        id_number=build_id_number("500222", D(1941, 3, 8), 22),
        phone="13983001234",
        village_code="500110113225",
    )
    with django_capture_on_commit_callbacks(execute=True):
        case = case_accept(
            actor=cadre,
            intake=Intake(
                item_code="MD-006",
                channel="booth",
                market_code="satellite-500110113000",
                person=grandmother,
                materials_received=["居民身份证原件", "户口簿"],
                description="孙子代云峰陪同,住院费用负担重",
            ),
            now=at(2026, 11, 23),  # Monday
        )
    assert case.taken_at_market.name == "升平片场" and case.channel == "booth"
    assert case.promised_date == D(2026, 12, 2)  # 7 working days after Mon 23 Nov
    assert "12-02" in OutboxMessage.objects.get(reference__startswith=case.number, purpose="accepted").text

    with django_capture_on_commit_callbacks(execute=True):
        case = case_transition(
            actor=cadre,
            number=case.number,
            action="suspend",
            missing=["诊断证明", "医疗费用票据或费用预估单"],
            now=at(2026, 11, 24),
        )
    assert case.remaining_days == 6  # 25, 26, 27, 30 Nov, 1, 2 Dec
    assert (
        "诊断证明" in OutboxMessage.objects.get(reference__startswith=case.number, purpose="suspended").text
    )

    case = case_transition(
        actor=cadre, number=case.number, action="resume", now=at(2026, 12, 1)
    )  # a week later
    assert case.promised_date == D(
        2026, 12, 9
    )  # 6 working days after Tue 1 Dec: the week waited is not counted
    with django_capture_on_commit_callbacks(execute=True):
        case = case_transition(
            actor=cadre,
            number=case.number,
            action="finish",
            note="已批准医疗救助",
            now=at(2026, 12, 4),
            outcome=Outcome(kind="granted", detail="已批准医疗救助", amount="1200"),
        )
    assert case.status == "finished" and case.closed_at.date() <= case.promised_date
    assert [e.action for e in case.events.all()] == ["accept", "suspend", "resume", "finish"]
    assert OutboxMessage.objects.filter(reference__startswith=case.number, purpose="finished").exists()


def test_homestead_reclamation_pension_on_the_spot_at_dongxi(demo_read):
    """周开明 of 龙井村 enrols for the homestead-reclamation pension at 东溪镇's station, in the time of a meal."""
    cadre = User.objects.get(username="dongxi_cadre")
    zhou = Resident.objects.get(name="周开明")
    case = case_accept(
        actor=cadre,
        intake=Intake(
            item_code="PE-003",
            channel="counter",
            service_point_code="station-500110109000",
            applicant_id=zhou.pk,
            materials_received=["居民身份证原件", "户口簿", "宅基地复垦确认材料"],
        ),
        now=at(2014, 7, 21, 11),
    )
    assert case.promised_date == D(2014, 7, 21)  # on the spot
    assert case.level == "town"
    case = case_transition(
        actor=cadre,
        number=case.number,
        action="finish",
        now=at(2014, 7, 21, 12),
        outcome=Outcome(kind="granted"),
    )
    assert case.status == "finished"
    assert case.closed_at.date() == case.accepted_at.date()
