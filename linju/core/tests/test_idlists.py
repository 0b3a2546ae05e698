"""A long list of ids handed to the database as one value finds the same rows as Django's `__in`."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from linju.core.idlists import id_list
from linju.core.models import PendingTask


def test_an_id_list_finds_the_rows_pk_in_finds_as_one_value(db):
    made = [PendingTask.objects.create(task=f"t{n}") for n in range(30)]
    wanted = [task.pk for task in made[::3]] + [10**9]  # one that is not there
    with CaptureQueriesContext(connection) as captured:
        found = sorted(PendingTask.objects.filter(pk__in=id_list(wanted)).values_list("pk", flat=True))
    assert found == sorted(task.pk for task in made[::3])
    assert found == sorted(PendingTask.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    sql = captured.captured_queries[0]["sql"]
    assert "IN (SELECT unnest(" in sql or "IN (SELECT value FROM json_each(" in sql  # one value


def test_an_empty_id_list_finds_nothing(db):
    PendingTask.objects.create(task="t")
    assert not PendingTask.objects.filter(pk__in=id_list([])).exists()
