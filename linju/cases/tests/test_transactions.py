"""Each action on a case is a transaction whose texts are queued inside it (sent once it commits,
never when it rolls back), and the actions no other service composes are durable: a caller cannot
hold them inside a larger transaction."""

import datetime

import pytest
from django.db import connection, transaction

from linju.cases.models import Case, CaseEvent
from linju.cases.services import (
    ACTIONS,
    Intake,
    NewPerson,
    Outcome,
    appeal_decide,
    appeal_file,
    callback_record_call,
    callback_rectified,
    callback_rectify,
    case_accept,
    case_accept_once,
    case_accept_within,
    case_move_within,
    case_rate_by_resident,
    case_transition,
    extension_ask,
    extension_decide,
    fix_rate,
    follow_up_close,
    promised_dates_recompute,
)
from linju.cases.services import intake as intake_module
from linju.cases.services import moves as moves_module
from linju.conftest_world import at
from linju.notify.models import OutboxMessage
from linju.people.idnumbers import build_id_number
from linju.people.models import Resident


@pytest.fixture
def depths(monkeypatch):
    """How many transactions were open when each text was queued."""
    seen = []
    real = transaction.on_commit

    def on_commit(func, using=None, robust=False):
        seen.append(len(connection.atomic_blocks))
        return real(func, using=using, robust=robust)

    monkeypatch.setattr(transaction, "on_commit", on_commit)
    return seen


def _intake(served, **changes) -> Intake:
    fields = {
        "item_code": "UI-002",
        "channel": "counter",
        "service_point_code": "station-yx",
        "applicant_id": served.dai.pk,
    }
    return Intake(**(fields | changes))


def test_an_intakes_texts_are_queued_inside_its_transaction(served, depths):
    outside = len(connection.atomic_blocks)
    case_accept(
        actor=served.cadre, intake=_intake(served, materials_missing=["诊断证明"]), now=at(2026, 11, 25)
    )
    assert len(depths) >= 2  # accepted, and what to bring
    assert all(depth == outside + 1 for depth in depths)


@pytest.mark.parametrize(
    "action, options",
    [
        ("suspend", {"missing": ["诊断证明"]}),
        ("return", {"reason": "不符合条件"}),
        ("finish", {"outcome": Outcome(kind="granted", detail="已发放")}),
    ],
)
def test_a_moves_texts_are_queued_inside_its_transaction(served, depths, action, options):
    case = case_accept(actor=served.cadre, intake=_intake(served), now=at(2026, 11, 25))
    depths.clear()
    outside = len(connection.atomic_blocks)
    case_transition(actor=served.cadre, number=case.number, action=action, now=at(2026, 11, 26), **options)
    assert depths  # the move texts the resident
    assert all(depth == outside + 1 for depth in depths)


DURABLE = {
    "extension_ask": lambda served, case: extension_ask(
        actor=served.cadre, number=case.number, working_days=3, reason="需要调查"
    ),
    "extension_decide": lambda served, case: extension_decide(
        actor=served.staff, extension_id=1, approve=True
    ),
    "promised_dates_recompute": lambda served, case: promised_dates_recompute(),
    "callback_record_call": lambda served, case: callback_record_call(
        actor=served.cadre, follow_up_id=1, resident_said="等太久"
    ),
    "callback_rectify": lambda served, case: callback_rectify(
        actor=served.cadre, follow_up_id=1, way="explained", rectification="已说明"
    ),
    "callback_rectified": lambda served, case: callback_rectified(
        actor=served.cadre, follow_up_id=1, rectification="已整改"
    ),
    "fix_rate": lambda served, case: fix_rate(token="x", level=3),
    "appeal_file": lambda served, case: appeal_file(
        actor=served.cadre, rating_id=1, ground="mistaken", reason="不是我办的"
    ),
    "appeal_decide": lambda served, case: appeal_decide(
        actor=served.staff, appeal_id=1, uphold=True, decision="属实"
    ),
    "case_rate_by_resident": lambda served, case: case_rate_by_resident(
        number=case.number, phone_last4=served.dai.phone[-4:], level=5
    ),
    "follow_up_close": lambda served, case: follow_up_close(
        actor=served.cadre, follow_up_id=1, answer="已回访"
    ),
}


@pytest.mark.parametrize("service", DURABLE)
def test_an_action_refuses_to_run_inside_a_callers_transaction(served, service):
    case = case_accept(actor=served.cadre, intake=_intake(served), now=at(2026, 11, 25))
    if service == "case_rate_by_resident":
        case = case_transition(
            actor=served.cadre,
            number=case.number,
            action="finish",
            outcome=Outcome(kind="granted", detail="已发放"),
        )
    if service == "promised_dates_recompute":
        Case.objects.filter(pk=case.pk).update(promised_estimated=True)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        DURABLE[service](served, case)


# every public way to take or move a case: each its own durable transaction
MOVE_OPTIONS = {
    "suspend": {"missing": ["诊断证明"]},
    "send_back": {"missing": ["诊断证明原件"]},
    "return": {"reason": "不符合条件"},
    "finish": {"outcome": Outcome(kind="granted", detail="已发放")},
}


def _mover(action: str) -> str:
    return "staff" if action == "send_back" else "cadre"


@pytest.mark.parametrize("accept", [case_accept, case_accept_once], ids=lambda f: f.__name__)
def test_an_intake_refuses_to_run_inside_a_callers_transaction(served, accept):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        accept(actor=served.cadre, intake=_intake(served), now=at(2026, 11, 25))
    assert not Case.objects.exists()


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_move_refuses_to_run_inside_a_callers_transaction(served, action):
    case = case_accept(actor=served.cadre, intake=_intake(served), now=at(2026, 11, 25))
    actor, options = getattr(served, _mover(action)), MOVE_OPTIONS.get(action, {})
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        ACTIONS[action](actor=actor, number=case.number, **options)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        case_transition(actor=actor, number=case.number, action=action, **options)
    assert Case.objects.get(pk=case.pk).version == case.version


WITHIN = {
    "case_accept_within": lambda: case_accept_within(actor=None, intake=None),
    "case_move_within": lambda: case_move_within(actor=None, number="", action="start"),
}


@pytest.mark.parametrize("within", WITHIN)
def test_the_inner_services_refuse_to_run_without_their_callers_transaction(within):
    # no database: the guard speaks before anything is read
    with pytest.raises(RuntimeError, match="inside its caller's transaction"):
        WITHIN[within]()


class Broken(Exception):
    """Raised after a service queued its texts."""


def _breaking_after(real):
    def queue_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise Broken

    return queue_then_fail


def test_an_intake_that_fails_after_queueing_its_texts_keeps_nothing_and_sends_nothing(
    served, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(intake_module, "_sms", _breaking_after(intake_module._sms))
    newcomer = NewPerson(
        name="林小芳",
        id_number=build_id_number("500222", datetime.date(1990, 3, 3), 21),
        phone="13800138000",
        village_code=served.dai.village.code,
    )
    residents = Resident.objects.count()
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Broken):
        case_accept(actor=served.cadre, intake=_intake(served, applicant_id=None, person=newcomer))
    assert callbacks == []
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    assert Resident.objects.count() == residents  # the newcomer went with the case
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("action", ["suspend", "return", "finish"])
def test_a_move_that_fails_after_queueing_its_texts_keeps_nothing_and_sends_nothing(
    served, monkeypatch, django_capture_on_commit_callbacks, action
):
    case = case_accept(actor=served.cadre, intake=_intake(served), now=at(2026, 11, 25))
    before = Case.objects.filter(pk=case.pk).values().get(), case.events.count()
    monkeypatch.setattr(moves_module, "_sms", _breaking_after(moves_module._sms))
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Broken):
        case_transition(
            actor=served.cadre,
            number=case.number,
            action=action,
            now=at(2026, 11, 26),
            **MOVE_OPTIONS[action],
        )
    assert callbacks == []
    assert (Case.objects.filter(pk=case.pk).values().get(), case.events.count()) == before
    assert not OutboxMessage.objects.filter(reference__startswith=case.number).exists()


def test_a_move_inside_a_callers_transaction_is_sent_on_the_callers_commit_or_never(
    served, django_capture_on_commit_callbacks
):
    case = case_accept(actor=served.cadre, intake=_intake(served), now=at(2026, 11, 25))
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Broken), transaction.atomic():
        case_move_within(actor=served.cadre, number=case.number, action="return", reason="不符合条件")
        raise Broken  # the caller's own work fails after the move
    assert callbacks == []
    assert Case.objects.get(pk=case.pk).status == case.status
