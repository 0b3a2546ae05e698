import datetime

import pytest

from linju.cases.models import Case, FollowUp
from linju.cases.services import (
    NewPerson,
    Outcome,
    allowed_actions,
    case_rate_by_resident,
)
from linju.cases.tests.factories import case_moved, case_taken
from linju.conftest_world import at
from linju.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from linju.notify.models import OutboxMessage
from linju.people.models import Resident

D = datetime.date
GRANTED = Outcome(kind="granted")


def test_accept_gives_a_number_promised_date_event_and_sms(served, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = case_taken(served)
    assert case.number == "QJ-20261125-0001"
    assert case.promised_date == D(2026, 12, 2)  # 5 working days after Wed 25 Nov
    assert case.status == "accepted" and case.level == "town" and case.town == served.yongxin
    assert list(case.events.values_list("action", flat=True)) == ["accept"]
    message = OutboxMessage.objects.get(purpose="accepted")
    assert case.number in message.text and "2026-12-02" in message.text and "受理" in message.text
    assert case_taken(served).number == "QJ-20261125-0002"


def test_a_case_nobody_is_to_be_texted_about_queues_no_text(served, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as silent:
        case_taken(served, texts_to_applicant=False)
    assert not OutboxMessage.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as texted:
        case_taken(served)
    assert len(texted) == len(silent) + 1  # the text, put into words only where it is sent
    assert OutboxMessage.objects.count() == 1


def test_promised_date_across_national_day(served):
    case = case_taken(served, now=at(2026, 9, 30))
    assert case.promised_date == D(2026, 10, 13)  # Oct 8, 9, 10 (Sat, worked), 12, 13


def test_a_new_person_is_recorded_at_intake(served):
    from linju.people.idnumbers import build_id_number

    number = build_id_number("500222", D(1950, 5, 5), 21)
    case = case_taken(
        served,
        applicant_id=None,
        person=NewPerson(name="代奶奶", id_number=number, phone="13700001111", village_code="500110113225"),
    )
    assert case.applicant.name == "代奶奶" and case.applicant.village.name == "荆山村"
    again = case_taken(
        served,
        applicant_id=None,
        person=NewPerson(name="代奶奶", id_number=number, phone="", village_code="500110113225"),
    )
    assert again.applicant == case.applicant


def test_the_same_idempotency_key_gives_the_same_case(served):
    first = case_taken(served, idempotency_key="phone-abc-1")
    second = case_taken(served, idempotency_key="phone-abc-1")
    assert first.pk == second.pk
    assert Case.objects.count() == 1


def test_an_item_not_delegated_is_taken_at_the_station_for_the_district(served):
    """Acceptance is not delegation: the station takes it and it goes to the district (代办) at once,
    promised from the acceptance; the cadre may not finish it, the district's list shows it."""
    from linju.cases.selectors import case_list

    case = case_taken(served, item="LR-002")
    assert case.status == "forwarded" and case.level == "district" and case.forwarded_at == at(2026, 11, 25)
    assert list(case.events.values_list("action", flat=True)) == ["accept", "forward"]
    assert case.promised_date == D(2026, 12, 2)  # 5 working days from the acceptance at the station
    assert allowed_actions(case, served.cadre) == []
    assert list(case_list(viewer=served.staff, work_list="forwarded")) == [case]
    assert list(case_list(viewer=served.cadre, work_list="forwarded")) == []


def test_an_item_kept_for_the_hall_is_refused_at_a_station_with_the_reason(served):
    ServiceItem = type(served.lr)
    ServiceItem.objects.filter(pk=served.lr.pk).update(hall_only=True, hall_only_reason="须当面核对证据原件")
    from linju.catalog.selectors import catalogue_changed

    catalogue_changed()
    with pytest.raises(DomainError) as error:
        case_taken(served, item="LR-002")
    assert error.value.code == "hall_only" and "须当面核对证据原件" in error.value.text()
    with pytest.raises(DomainError):
        case_taken(
            served, item="LR-002", channel="booth", service_point_code="", market_code="market-shengping"
        )
    # the hall takes it
    hall_case = case_taken(served, item="LR-002", actor=served.staff, service_point_code="hall-qj")
    assert hall_case.level == "district"


def test_the_hall_takes_anything_at_district_level(served):
    case = case_taken(served, actor=served.staff, item="LR-002", service_point_code="hall-qj")
    assert case.level == "district" and case.town == served.yongxin  # the applicant's town


def test_cadre_cannot_take_a_case_in_another_town(served):
    with pytest.raises(NotFound):
        case_taken(
            served, actor=served.dongxi_cadre, service_point_code="station-yx", applicant_id=served.zhou.pk
        )


def test_booth_needs_a_market(served):
    with pytest.raises(DomainError) as error:
        case_taken(served, channel="booth", service_point_code="")
    assert error.value.field == "market_code"


def test_allowed_actions_for_a_new_case(served):
    assert allowed_actions(case_taken(served)) == [
        "start",
        "suspend",
        "finish",
        "return",
    ]  # 永新镇 finishes UI-002
    assert allowed_actions(case_taken(served, item="MD-005")) == [
        "start",
        "suspend",
        "send_back",
        "finish",
        "return",
    ]
    missing = case_taken(
        served, item="MD-005", materials_missing=["诊断证明"]
    )  # kept at the town until complete
    assert allowed_actions(missing) == ["resume", "return"]


def test_the_clock_stops_while_materials_are_missing(served):
    case = case_taken(served, now=at(2026, 11, 25))  # promised Wed 2 Dec
    case = case_moved(served, case, "suspend", now=at(2026, 11, 26), missing=["解除劳动合同证明"])
    assert case.remaining_days == 4  # 27, 30 Nov, 1, 2 Dec
    case = case_moved(served, case, "resume", now=at(2026, 12, 3))
    assert case.promised_date == D(2026, 12, 9)  # 4 working days after Thu 3 Dec
    assert case.materials_missing == [] and "解除劳动合同证明" in case.materials_received
    event = case.events.get(action="resume")
    assert event.detail["previous_promise"] == "2026-12-02"


def test_suspend_needs_the_missing_list_and_return_a_reason(served):
    case = case_taken(served)
    with pytest.raises(DomainError):
        case_moved(served, case, "suspend", missing=[])
    with pytest.raises(DomainError):
        case_moved(served, case, "return", reason="  ")
    assert Case.objects.get(pk=case.pk).status == "accepted"


def test_forward_then_the_district_finishes(served):
    case = case_taken(served, item="MD-005", materials_missing=["诊断证明"])
    assert case.status == "suspended" and case.level == "town"
    case = case_moved(served, case, "resume")  # complete: it goes to the district the same day
    assert case.status == "forwarded" and case.level == "district" and case.forwarded_at
    with pytest.raises(PermissionDenied):
        case_moved(served, case, "finish", outcome=GRANTED)  # the cadre no longer finishes it
    case = case_moved(served, case, "finish", outcome=GRANTED, actor=served.staff)
    assert case.status == "finished" and case.closed_at


def test_a_delegated_finish_item_is_not_forwarded(served):
    with pytest.raises(DomainError):
        case_moved(served, case_taken(served), "forward")


def test_stale_version_is_refused_and_nothing_is_lost(served):
    case = case_taken(served)
    case_moved(served, case, "start", expected_version=1)
    with pytest.raises(Conflict) as error:
        case_moved(served, case, "suspend", expected_version=1, missing=["x"])
    assert error.value.code == "case_changed"
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    assert case.events.count() == 2


def test_leaders_do_not_move_cases(served):
    with pytest.raises(PermissionDenied):
        case_moved(served, case_taken(served), "start", actor=served.leader)


def test_rating_once_and_unsatisfied_opens_a_follow_up(served):
    case = case_moved(served, case_taken(served), "finish", outcome=GRANTED)
    last4 = served.dai.phone[-4:]
    rating = case_rate_by_resident(number=case.number, phone_last4=last4, level=2, comment="等太久")
    assert rating.unsatisfied
    assert FollowUp.objects.get(case=case).town == served.yongxin
    with pytest.raises(Conflict):
        case_rate_by_resident(number=case.number, phone_last4=last4, level=5)


def test_an_open_case_cannot_be_rated_and_wrong_phone_is_not_found(served):
    case = case_taken(served)
    with pytest.raises(Conflict):
        case_rate_by_resident(number=case.number, phone_last4=served.dai.phone[-4:], level=5)
    with pytest.raises(NotFound):
        case_rate_by_resident(number=case.number, phone_last4="0000", level=5)


def test_an_id_number_of_another_bureau_does_not_name_its_holder(
    served, client, django_capture_on_commit_callbacks
):
    """A 永新镇 cadre types the ID number of a 万盛 resident with another name: the same "no such
    resident" as any stranger, nothing written, no text to the resident's phone. With the registered
    name (the person is at the booth, and has moved), the case is taken for a record of 綦江's own,
    the directory records the move once, and the answer shows only what was typed."""
    stranger = served.wansheng_resident
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(NotFound) as refused:
            case_taken(
                served,
                applicant_id=None,
                person=NewPerson(
                    name="随便", id_number=stranger.id_number, phone="", village_code="500110113225"
                ),
            )
    from linju.people.selectors import resident_get_for_viewer

    with pytest.raises(NotFound) as not_yours:  # the answer to any look-up of a stranger
        resident_get_for_viewer(viewer=served.cadre, resident_id=stranger.pk)
    assert refused.value.field == "person.id_number" and refused.value.text() == not_yours.value.text()
    assert not Case.objects.exists() and not OutboxMessage.objects.exists()
    assert not Resident.objects.filter(name="随便").exists()

    with django_capture_on_commit_callbacks(execute=True):
        case = case_taken(
            served,
            applicant_id=None,
            person=NewPerson(
                name=stranger.name, id_number=stranger.id_number, phone="", village_code="500110113225"
            ),
        )
    from linju.people.models import Person, PersonMove

    assert case.town == served.yongxin and case.applicant != stranger
    assert case.applicant.bureau == served.yongxin.bureau and case.applicant.id_number == stranger.id_number
    person = Person.objects.get(id_number=stranger.id_number)  # one person in the directory
    assert person.bureau == served.yongxin.bureau
    move = PersonMove.objects.get()
    assert (move.from_resident, move.to_resident, move.how) == (stranger, case.applicant, "intake")
    stranger.refresh_from_db()
    assert stranger.bureau == served.wansheng_resident.bureau  # 万盛's record stays 万盛's
    # the answer over the API holds the name typed and nothing of the registry's
    from linju.accounts.tests.factories import bearer

    body = client.get(f"/api/v1/cases/{case.number}", **bearer(served.cadre)).content.decode()
    assert stranger.name in body and stranger.phone not in body and stranger.village.name not in body
