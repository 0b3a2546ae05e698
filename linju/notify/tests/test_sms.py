"""A text is sent at most once per purpose, reference and phone, whoever reaches it."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from linju.cases.models import Case
from linju.cases.services import due_soon_reminders
from linju.cases.tests.factories import case_at_counter
from linju.core.tests.threads import run_together
from linju.notify.models import OutboxMessage
from linju.notify.sms import Outgoing, send_sms

GATEWAY = "linju.notify.tests.test_sms.CountingGateway"
BOOTH = {"day": "12月6日", "market": "永新场", "items": "失业登记", "phone": "023-48651234"}
SELF_CHECK = {
    "items": "失业保险金",
    "where": "永新镇社保服务所",
    "url": "https://linju.example.gov.cn/self-check/",
}
RETURNED = {"number": "QJ-20261205-0001", "reason": "不属于本机关受理范围"}


class CountingGateway:
    """A gateway that counts what it was asked to send, slowly, so two senders overlap."""

    name = "counting"
    sent: list[tuple[str, str]] = []
    lock = threading.Lock()
    pause = 0.0
    fail = False

    def send(self, text: Outgoing) -> str:
        time.sleep(self.pause)
        if self.fail:
            raise OSError("gateway down")
        with self.lock:
            CountingGateway.sent.append((text.phone, text.text))
        return ""


@pytest.fixture
def gateway(settings):
    settings.LINJU_SMS_BACKEND = GATEWAY
    CountingGateway.sent, CountingGateway.pause, CountingGateway.fail = [], 0.0, False
    return CountingGateway


def test_the_same_text_is_sent_once(towns_and_staff, gateway):
    bureau_id = towns_and_staff.yongxin.bureau_id
    text = {
        "bureau_id": bureau_id,
        "text": "明天赶场",
        "purpose": "booth_reminder",
        "reference": "booth-1-7",
        "params": BOOTH,
    }
    first = send_sms(phone="13912345678", **text)
    assert first.status == OutboxMessage.Status.SENT
    assert send_sms(phone="13912345678", **text) is None  # a retried job
    assert send_sms(phone="13812345678", **text) is not None  # the same notice to another person
    assert gateway.sent == [("13912345678", "明天赶场"), ("13812345678", "明天赶场")]
    assert OutboxMessage.objects.filter(reference="booth-1-7").count() == 2
    # a text without a reference (a self-check's answer, rate-limited) may be asked for again
    for _ in range(2):
        send_sms(
            bureau_id=bureau_id, phone="13912345678", text="自查", purpose="self_check", params=SELF_CHECK
        )
    assert OutboxMessage.objects.filter(purpose="self_check").count() == 2


def test_a_gateways_failure_is_recorded_and_not_retried_into_a_second_text(towns_and_staff, gateway):
    gateway.fail = True
    message = send_sms(
        bureau_id=towns_and_staff.yongxin.bureau_id,
        phone="13912345678",
        text="x",
        purpose="returned",
        reference="r",
        params=RETURNED,
    )
    assert message.status == OutboxMessage.Status.FAILED and "gateway down" in message.error
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.FAILED
    gateway.fail = False
    assert (
        send_sms(
            bureau_id=message.bureau_id,
            phone="13912345678",
            text="x",
            purpose="returned",
            reference="r",
            params=RETURNED,
        )
        is None
    )
    assert gateway.sent == []


def test_each_move_of_a_case_has_its_own_text(served, gateway, django_capture_on_commit_callbacks):
    from linju.cases.services import case_transition

    with django_capture_on_commit_callbacks(execute=True):
        case = case_at_counter(served)
    for _ in range(2):  # asked twice for materials, resumed in between: two texts, not one
        with django_capture_on_commit_callbacks(execute=True):
            case_transition(actor=served.cadre, number=case.number, action="suspend", missing=["户口簿"])
        with django_capture_on_commit_callbacks(execute=True):
            case_transition(actor=served.cadre, number=case.number, action="resume")
    suspended = OutboxMessage.objects.filter(reference__startswith=case.number, purpose="suspended")
    assert suspended.count() == 2
    assert len({m.reference for m in suspended}) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_two_schedulers_racing_send_each_reminder_once(served, gateway):
    """Two huey schedulers (or a retry beside the first try) run the 7:30 reminder at the same moment:
    the cadre gets one text."""
    served.cadre.mobile = "13700001111"
    served.cadre.save(update_fields=["mobile"])
    case = case_at_counter(served)
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(promised_date=today + datetime.timedelta(days=1))
    gateway.sent, gateway.pause = [], 0.3
    results = run_together([lambda: due_soon_reminders(today=today) for _ in range(4)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 1
    assert [phone for phone, _ in gateway.sent if phone == "13700001111"] == ["13700001111"]
    assert OutboxMessage.objects.filter(purpose="due_soon", phone="13700001111").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
def test_two_workers_reaching_one_text_at_once_send_it_once(towns_and_staff, gateway):
    gateway.pause = 0.3
    text = {
        "bureau_id": towns_and_staff.yongxin.bureau_id,
        "phone": "13912345678",
        "text": "明天赶场",
        "purpose": "booth_reminder",
        "reference": "booth-9-9",
        "params": BOOTH,
    }
    results = run_together([lambda: send_sms(**text) for _ in range(6)])
    assert len([r for r in results if isinstance(r, OutboxMessage)]) == 1
    assert results.count(None) == 5
    assert gateway.sent == [("13912345678", "明天赶场")]
