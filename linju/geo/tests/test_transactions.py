"""The imports of divisions and travel times are durable transactions: all rows or none, never
folded into a caller's transaction."""

import io

import pytest
from django.db import transaction

from linju.geo.services import DIVISION_COLUMNS, TRAVEL_COLUMNS, divisions_import, travel_times_import


@pytest.mark.django_db
@pytest.mark.parametrize(
    "load, columns",
    [(divisions_import, DIVISION_COLUMNS), (travel_times_import, TRAVEL_COLUMNS)],
    ids=["divisions", "travel times"],
)
def test_an_import_refuses_to_run_inside_a_callers_transaction(load, columns):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        load(source=io.StringIO(",".join(columns) + "\n"))
