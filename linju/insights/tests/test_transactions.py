"""A spreadsheet's job is started, taken again and written in durable transactions."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from linju.insights.models import ImportJob
from linju.insights.services import STALLED_AFTER, import_jobs_retake_stalled, import_start
from linju.insights.tests.test_imports import person, xlsx


def test_starting_an_import_refuses_to_run_inside_a_callers_transaction(towns_and_staff):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        import_start(
            actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=xlsx([person(1)])
        )
    assert not ImportJob.objects.exists()


def test_taking_stalled_imports_again_refuses_to_run_inside_a_callers_transaction(towns_and_staff):
    job = import_start(
        actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=xlsx([person(1)])
    )
    long_ago = timezone.now() - STALLED_AFTER - datetime.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, updated_at=long_ago)
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        import_jobs_retake_stalled()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.CHECKING
