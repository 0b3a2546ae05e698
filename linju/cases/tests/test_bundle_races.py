"""Bundle cases raced, as two tablets and two members of staff do on a real server: the database
decides. One key makes one bundle case however many send it; the last two parts answered at the
same moment finish the bundle once, with one final text."""

import pytest
from django.db import connection

from linju.cases.models import BundleCase, Case
from linju.cases.services import Intake, Outcome, bundle_accept_once, case_finish
from linju.conftest_world import at
from linju.core.tests.threads import run_together
from linju.notify.models import OutboxMessage

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)"
    ),
]
PAPERS = ["居民身份证", "户口簿", "银行卡", "公积金联名卡"]


def take(world, key=""):
    intake = Intake(
        item_code="",
        channel="booth",
        applicant_id=world.dai.pk,
        market_code="market-shengping",
        materials_received=PAPERS,
        idempotency_key=key,
    )
    return bundle_accept_once(actor=world.cadre, code="retire", intake=intake, now=at(2026, 11, 25))


def test_racing_tablets_with_one_key_make_one_bundle_case(retirement):
    results = run_together([lambda: take(retirement, "weak-signal-b")] * 6)
    numbers = {r.bundle_case.number for r in results if not isinstance(r, Exception)}
    assert len(numbers) == 1, results
    assert sum(1 for r in results if not isinstance(r, Exception) and r.created) == 1
    assert BundleCase.objects.count() == 1 and Case.objects.count() == 3


def test_the_last_parts_answered_together_finish_the_bundle_once(retirement):
    bundle_case = take(retirement).bundle_case
    approval, pension, housing = bundle_case.parts.order_by("id")
    case_finish(actor=retirement.staff, number=approval.number, outcome=Outcome(kind="granted"))
    results = run_together(
        [
            lambda: case_finish(
                actor=retirement.cadre, number=pension.number, outcome=Outcome(kind="granted")
            ),
            lambda: case_finish(
                actor=retirement.staff, number=housing.number, outcome=Outcome(kind="granted")
            ),
        ]
    )
    assert all(isinstance(r, Case) for r in results), results
    assert BundleCase.objects.get().status == "finished"
    assert OutboxMessage.objects.filter(purpose="bundle_finished").count() == 1
    assert not OutboxMessage.objects.filter(purpose="finished").exists()
