"""Two members of staff acting on one case at the same moment: the database decides, one wins."""

import datetime

import pytest
from django.db import connection

from linju.cases.models import Case, CaseEvent
from linju.cases.services import Intake, Outcome, case_accept, case_transition
from linju.cases.tests.factories import case_at_counter, counter_intake
from linju.core.errors import Conflict
from linju.core.tests.threads import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)"
    ),
]


def test_one_of_two_simultaneous_transitions_wins(served):
    case = case_at_counter(served)
    results = run_together(
        [
            lambda: case_transition(
                actor=served.cadre,
                number=case.number,
                action="finish",
                outcome=Outcome(kind="granted"),
                expected_version=1,
            ),
            lambda: case_transition(
                actor=served.staff, number=case.number, action="suspend", missing=["x"], expected_version=1
            ),
        ]
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    stored = Case.objects.get(pk=case.pk)
    assert stored.status == winners[0].status and stored.version == 2
    assert stored.events.count() == 2


def test_simultaneous_intakes_with_one_key_make_one_case(served):
    def take():
        return case_at_counter(served, idempotency_key="weak-signal-1")

    results = run_together([take, take, take])
    assert all(isinstance(r, Case) for r in results), results
    assert len({r.number for r in results}) == 1
    assert Case.objects.count() == 1


def test_simultaneous_intakes_get_distinct_numbers(served):
    def take():
        return case_at_counter(served)

    results = run_together([take] * 4)
    assert all(isinstance(r, Case) for r in results), results
    assert len({r.number for r in results}) == 4


def test_twenty_racing_callers_with_one_key_all_get_the_one_case(served):
    """Decided by the key's unique constraint: one caller is told it made the case, every other is
    given that same case, none an error; the numbers of the losers are rolled back with them."""
    from linju.cases.services import case_accept_once

    def take():
        return case_accept_once(
            actor=served.cadre, intake=counter_intake(served, idempotency_key="weak-signal-20")
        )

    results = run_together([take] * 20)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.case.number for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert Case.objects.count() == 1
    assert Case.objects.get().number.endswith("-0001")  # no number was spent by a loser


def test_one_new_person_taken_twice_at_once_is_one_resident_and_no_refusal(served):
    """Two tablets record the same newcomer with different keys at the same moment: one resident, two
    cases, and neither tablet is told "already registered"."""
    from linju.cases.services import NewPerson
    from linju.people.idnumbers import build_id_number
    from linju.people.models import Resident

    number = build_id_number("500222", datetime.date(1961, 6, 1), 77)

    newcomer = NewPerson(name="罗二妹", id_number=number, phone="", village_code="500110113225")

    def take(key):
        return lambda: case_accept(
            actor=served.cadre,
            intake=counter_intake(served, applicant_id=None, person=newcomer, idempotency_key=key),
        )

    results = run_together([take("tablet-a"), take("tablet-b")])
    assert all(isinstance(r, Case) for r in results), results
    assert Resident.objects.filter(id_number=number).count() == 1
    assert len({r.number for r in results}) == 2 and len({r.applicant_id for r in results}) == 1


def test_ten_simultaneous_hand_overs_of_one_waiting_result_hand_it_over_once(served):
    """The row lock makes each wait for the one before, which sees it handed over: one 送达, nine
    refusals that say so, one event."""
    case = case_accept(  # an item the district finishes: forwarded the same day
        actor=served.cadre,
        intake=Intake(
            item_code="MD-005", channel="counter", service_point_code="station-yx", applicant_id=served.dai.pk
        ),
    )
    case_transition(
        actor=served.staff,
        number=case.number,
        action="finish",
        outcome=Outcome(kind="granted", hand_over=True),
    )
    results = run_together(
        [lambda: case_transition(actor=served.cadre, number=case.number, action="hand_over")] * 10
    )
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 9, results
    assert {r.code for r in losers} == {"already_handed_over"}
    stored = Case.objects.get(pk=case.pk)
    assert stored.handover == "done" and stored.handed_over_at == winners[0].handed_over_at
    assert stored.events.filter(action=CaseEvent.Action.HAND_OVER).count() == 1
