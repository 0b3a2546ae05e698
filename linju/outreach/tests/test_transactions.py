"""Each outreach write that changes state is one durable transaction: it refuses to be folded into
a caller's transaction, its parts commit together or not at all, and its texts leave on commit."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from linju.cases.models import Case
from linju.cases.services import Intake
from linju.core.errors import DomainError
from linju.notify.models import OutboxMessage
from linju.outreach import services
from linju.outreach.models import HomeTask
from linju.outreach.services import PhoneRequest, phone_request_take

DURABLE_WRITES = [
    "booth_plan_generate",
    "booth_session_create",
    "consultation_log",
    "consultation_to_case",
    "visit_record",
    "home_task_create",
    "phone_request_take",
    "home_certification_schedule",
    "home_task_complete",
    "pensioner_certify",
    "certification_record",
    "certification_home_tasks",
    "certification_by_data_run",
    "leader_visit_record",
    "booth_reminder_opt_in",
    "booth_reminder_stop",
    "booth_reminders_withdraw_by_phone",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", DURABLE_WRITES)
def test_a_write_refuses_to_run_inside_a_callers_transaction(name):
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        getattr(services, name)()


def test_a_phone_requests_case_texts_the_person_only_once_its_task_is_committed(
    served, django_capture_on_commit_callbacks
):
    request = PhoneRequest(
        intake=Intake(
            item_code="UI-002",
            channel="phone",
            applicant_id=served.dai.pk,
            village_code=served.jingshan.code,
            phone="13900001111",
        ),
        cannot_travel=True,
        visit_date=timezone.localdate() + datetime.timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        taken = phone_request_take(actor=served.staff, request=request)
    assert HomeTask.objects.filter(case=taken.case).exists()
    assert not OutboxMessage.objects.exists()  # nothing sent before the commit
    for callback in callbacks:
        callback()
    assert OutboxMessage.objects.filter(purpose="accepted", reference__startswith=taken.case.number).exists()


def test_a_phone_request_whose_home_task_is_refused_keeps_no_case(served, django_capture_on_commit_callbacks):
    too_far = timezone.localdate() + datetime.timedelta(days=200)
    request = PhoneRequest(
        intake=Intake(
            item_code="UI-002", channel="phone", applicant_id=served.dai.pk, village_code=served.jingshan.code
        ),
        cannot_travel=True,
        visit_date=too_far,
    )
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError) as refused:
        phone_request_take(actor=served.staff, request=request)
    assert refused.value.field == "due_date"  # refused by the home task, after the case was taken
    assert not Case.objects.exists()
    assert callbacks == []  # the case's texts went with it
