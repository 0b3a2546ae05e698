"""Each action on a case is a transaction whose texts are queued inside it (sent once it commits,
never when it rolls back), and the actions no other service composes are durable: a caller cannot
hold them inside a larger transaction."""

import pytest
from django.db import connection, transaction

from linju.cases.models import Case
from linju.cases.services import (
    Outcome,
    case_rate_by_phone,
    case_rate_by_resident,
    case_transition,
    extension_ask,
    extension_decide,
    follow_up_close,
    promised_dates_recompute,
)
from linju.cases.tests.factories import case_taken
from linju.conftest_world import at


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


def test_an_intakes_texts_are_queued_inside_its_transaction(served, depths):
    outside = len(connection.atomic_blocks)
    case_taken(served, materials_missing=["诊断证明"])
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
    case = case_taken(served)
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
    "case_rate_by_phone": lambda served, case: case_rate_by_phone(
        actor=served.cadre, number=case.number, level=5
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
    case = case_taken(served)
    if service in ("case_rate_by_phone", "case_rate_by_resident"):
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
