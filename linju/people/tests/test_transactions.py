"""Registering a resident is a durable transaction of its own; an intake registers its newcomer
inside the intake's transaction instead."""

import datetime

import pytest
from django.db import transaction

from linju.people.idnumbers import build_id_number
from linju.people.models import Resident
from linju.people.services import resident_register, resident_register_within


def _newcomer(towns_and_staff) -> dict:
    return {
        "actor": towns_and_staff.cadre,
        "name": "林小芳",
        "id_number": build_id_number("500222", datetime.date(1990, 3, 3), 31),
        "village_code": towns_and_staff.jingshan.code,
    }


def test_registering_refuses_to_run_inside_a_callers_transaction(towns_and_staff):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        resident_register(**_newcomer(towns_and_staff))
    assert not Resident.objects.filter(name="林小芳").exists()


def test_registering_within_a_callers_transaction_goes_with_it(towns_and_staff):
    with transaction.atomic():
        resident_register_within(**_newcomer(towns_and_staff))
        assert Resident.objects.filter(name="林小芳").exists()
        transaction.set_rollback(True)
    assert not Resident.objects.filter(name="林小芳").exists()


def test_registering_within_refuses_to_run_without_a_callers_transaction():
    # no database: the guard speaks before anything is read
    with pytest.raises(RuntimeError, match="inside its caller's transaction"):
        resident_register_within(actor=None, name="", id_number="", village_code="")
