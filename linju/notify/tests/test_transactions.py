"""A push of delivery receipts is one durable transaction."""

import pytest
from django.db import transaction

from linju.notify.services import sms_reports_record


@pytest.mark.django_db
def test_recording_receipts_refuses_to_run_inside_a_callers_transaction():
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        sms_reports_record(reports=[])
