"""The holiday imports are durable transactions: all rows or none, announced on their commit."""

import io

import pytest
from django.db import transaction

from linju.workdays.services import CSV_COLUMNS, holidays_import_csv, holidays_import_from_package

IMPORTS = {
    "from the package": holidays_import_from_package,
    "from a notice's CSV": lambda: holidays_import_csv(source=io.StringIO(",".join(CSV_COLUMNS) + "\n")),
}


@pytest.mark.django_db
@pytest.mark.parametrize("load", IMPORTS)
def test_a_holiday_import_refuses_to_run_inside_a_callers_transaction(load):
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        IMPORTS[load]()
