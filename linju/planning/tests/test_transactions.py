"""Starting a solve and applying a proposal are durable transactions of their own."""

import pytest
from django.db import transaction

from linju.planning.models import PlanRun
from linju.planning.services import plan_apply, plan_start


def test_starting_a_solve_refuses_to_run_inside_a_callers_transaction(served):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        plan_start(actor=served.staff, budget=1)
    assert not PlanRun.objects.exists()


def test_applying_a_proposal_refuses_to_run_inside_a_callers_transaction(served):
    run = plan_start(actor=served.staff, budget=1)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        plan_apply(actor=served.staff, run=run)
    assert PlanRun.objects.get(pk=run.pk).applied_at is None
