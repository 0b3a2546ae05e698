"""Ending a delegation is a durable transaction of its own."""

import datetime

import pytest
from django.db import transaction

from linju.catalog.models import Delegation
from linju.catalog.services import delegation_end


def test_ending_a_delegation_refuses_to_run_inside_a_callers_transaction(served):
    delegation = Delegation.objects.filter(valid_to=None).first()
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        delegation_end(actor=served.admin, delegation=delegation, last_day=datetime.date(2026, 12, 31))
    assert Delegation.objects.get(pk=delegation.pk).valid_to is None
