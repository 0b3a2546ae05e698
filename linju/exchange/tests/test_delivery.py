import datetime
import json
import urllib.request
import uuid

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from linju.core.errors import PermissionDenied
from linju.core.tests.threads import run_together
from linju.exchange import delivery
from linju.exchange.checks import province_is_told
from linju.exchange.delivery import body_of, exchange_deliver, signature
from linju.exchange.models import Kind, Message
from linju.exchange.services import exchange_enqueue, exchange_resend
from linju.exchange.tests.province import deliver_until_done
from linju.geo.models import Bureau

pytestmark = pytest.mark.django_db

OCCURRED = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 30))
# the worker's clock: after every message is written (they are due from the moment they are written
# by the real clock), however long the suite takes to reach a test after this module is read
T0 = timezone.now() + datetime.timedelta(hours=6)


def _bureau_id() -> int:
    bureau, _ = Bureau.objects.get_or_create(
        code="TX",
        defaults={"zone": "test", "jurisdiction_id": "test", "name": "测试局", "short_name": "测试"},
    )
    return bureau.pk


def _case_message(n: int, kind: str = Kind.CASE_ACCEPTED, **extra) -> Message:
    fields = {
        "item_version": "2014-01-01",
        "department_code": "QJ",
        "channel": "station",
        "accepted_on": datetime.date(2026, 11, 2),
        "promised_date": datetime.date(2026, 11, 20),
    }
    if kind == Kind.CASE_FINISHED:
        fields |= {"outcome": "granted", "finished_on": datetime.date(2026, 11, 10)}
    with transaction.atomic():
        return exchange_enqueue(
            bureau_id=_bureau_id(),
            kind=kind,
            reference=f"QJ{n:08d}:{kind}",
            case_number=f"QJ{n:08d}",
            service_code="unemployment-benefit",
            region_code="500110100000",
            occurred_at=OCCURRED,
            fields=fields | extra,
        )


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        exchange_enqueue(
            bureau_id=1,
            kind=Kind.CASE_ACCEPTED,
            reference="x",
            case_number="QJ1",
            service_code="s",
            region_code="500110100000",
            occurred_at=OCCURRED,
        )


@pytest.mark.parametrize("region", ["50011010000", "5001101000001", "50011010000a", ""])
def test_enqueue_refuses_a_region_code_that_is_not_12_digits(region):
    with transaction.atomic(), pytest.raises(ValueError):
        exchange_enqueue(
            bureau_id=1,
            kind=Kind.CASE_ACCEPTED,
            reference="x",
            case_number="QJ1",
            service_code="s",
            region_code=region,
            occurred_at=OCCURRED,
        )


def test_enqueue_refuses_a_field_outside_the_targets_set():
    with pytest.raises(ValueError, match="id_number"):
        _case_message(1, id_number="500110199001010011")


def test_a_message_rolled_back_with_its_change_is_never_sent(province):
    with pytest.raises(RuntimeError), transaction.atomic():
        _case_message(1)
        raise RuntimeError("the case's move fails after the enqueue")
    assert not Message.objects.exists()
    exchange_deliver(now=T0)
    assert province.requests == 0


def test_one_message_per_change_is_held_by_the_database():
    _case_message(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _case_message(1)


@pytest.mark.parametrize(
    "change",
    [
        {"status": "sent"},  # received, but no time of receipt
        {"status": "dead", "next_attempt_at": None},  # given up without a reason
        {"status": "waiting", "next_attempt_at": None},
        {"status": "lost"},
        {"kind": "gossip"},
    ],
)
def test_the_outbox_invariants_are_in_the_database(change):
    message = _case_message(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Message.objects.filter(pk=message.pk).update(**change)


def test_a_message_is_posted_signed_with_its_id_as_idempotency_key(province):
    message = _case_message(1)
    assert exchange_deliver(now=T0)["sent"] == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 1 and message.sent_at == T0
    kept = province.received[str(message.message_id)]
    assert kept == message.payload
    assert kept["region_code"] == "500110100000" and kept["occurred_at"] == "2026-11-02T09:30:00+08:00"
    assert province.refused == []


def test_the_stand_in_refuses_a_wrong_signature_and_a_payload_off_the_schema(province, settings):
    body = json.dumps({"message_id": str(uuid.uuid4()), "kind": "case_accepted"}).encode()
    key = json.loads(body)["message_id"]

    def post(sig):
        return delivery.post(
            settings.LINJU_PROVINCE_URL,
            body,
            {"Idempotency-Key": key, "X-Linju-Signature": sig},
            2,
        )

    assert post(signature(body, "another key")).status == 401
    answer = post(signature(body, "province-test-key"))
    assert answer.status == 422 and "case_number" in answer.text
    assert province.received == {}


def test_a_message_the_target_refuses_is_dead_at_once_with_its_reason(province, settings):
    settings.LINJU_PROVINCE_KEY = "a key the province does not know"
    message = _case_message(1)
    assert exchange_deliver(now=T0)["dead"] == 1
    message.refresh_from_db()
    assert message.status == Message.Status.DEAD and message.attempts == 1
    assert message.last_error.startswith("HTTP 401") and "签名不符" in message.last_error


def test_a_message_is_tried_again_with_backoff_then_dead_after_the_last_attempt(province, settings):
    settings.LINJU_EXCHANGE_MAX_ATTEMPTS = 3
    settings.LINJU_EXCHANGE_RETRY_SECONDS = 60
    province.misbehave("fail")
    message = _case_message(1)
    exchange_deliver(now=T0)
    message.refresh_from_db()
    assert message.status == Message.Status.WAITING and message.next_attempt_at == T0 + datetime.timedelta(
        minutes=1
    )
    assert message.last_error.startswith("HTTP 503")
    exchange_deliver(now=T0 + datetime.timedelta(seconds=59))  # not yet due
    assert province.requests == 1
    exchange_deliver(now=T0 + datetime.timedelta(minutes=1))
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == T0 + datetime.timedelta(minutes=3)
    exchange_deliver(now=T0 + datetime.timedelta(minutes=3))
    message.refresh_from_db()
    assert message.status == Message.Status.DEAD and message.attempts == 3
    assert province.requests == 3 and province.received == {}


def test_a_dead_letter_resent_goes_with_the_same_message_id(province, settings, towns_and_staff):
    settings.LINJU_EXCHANGE_MAX_ATTEMPTS = 1
    province.misbehave("fail")
    message = _case_message(1)
    exchange_deliver(now=T0)
    province.misbehave("")
    Message.objects.filter(pk=message.pk).update(bureau_id=towns_and_staff.staff.bureau_id)
    assert (
        exchange_resend(viewer=towns_and_staff.ws_staff, message_ids=[message.pk], now=T0) == 0
    )  # another bureau's
    with pytest.raises(PermissionDenied):
        exchange_resend(viewer=towns_and_staff.leader, message_ids=[message.pk], now=T0)
    assert exchange_resend(viewer=towns_and_staff.staff, message_ids=[message.pk], now=T0) == 1
    exchange_deliver(now=T0)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert list(province.received) == [str(message.message_id)]


def test_no_address_keeps_the_messages_and_sends_nothing(settings):
    settings.LINJU_PROVINCE_URL = ""
    message = _case_message(1)
    assert exchange_deliver(now=T0) == {"sent": 0, "waiting": 0, "dead": 0}
    message.refresh_from_db()
    assert message.status == Message.Status.WAITING and message.attempts == 0


def test_check_deploy_warns_when_no_address_is_set(settings):
    settings.LINJU_PROVINCE_URL = ""
    assert [w.id for w in province_is_told(None)] == ["linju.W060"]
    settings.LINJU_PROVINCE_URL, settings.LINJU_PROVINCE_KEY = "https://gov.example/cases", "k"
    assert province_is_told(None) == []


def test_the_command_delivers_what_waits(province):
    _case_message(1)
    call_command("exchange_deliver", stdout=open("/dev/null", "w"))
    assert len(province.received) == 1


def test_a_worker_killed_after_the_post_leads_to_a_resend_of_the_same_id_counted_once(province, monkeypatch):
    message = _case_message(1)
    real_record = delivery._record

    def killed(*args, **kwargs):
        raise SystemExit("the worker died after the POST, before marking it sent")

    monkeypatch.setattr(delivery, "_record", killed)
    with pytest.raises(SystemExit):
        exchange_deliver(now=T0)
    monkeypatch.setattr(delivery, "_record", real_record)
    key = str(message.message_id)
    assert province.copies == {key: 1}
    exchange_deliver(now=T0 + datetime.timedelta(seconds=5))  # its claim still holds: not sent again
    assert province.requests == 1
    exchange_deliver(now=T0 + datetime.timedelta(minutes=5))  # the claim ended: another worker sends it
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 2
    assert province.copies == {key: 2} and list(province.received) == [key]


def test_an_answer_later_than_the_timeout_is_sent_again_and_counted_once(province, settings):
    settings.LINJU_EXCHANGE_TIMEOUT = 0.3
    province.misbehave("stall", stall_seconds=1.0)
    message = _case_message(1)
    exchange_deliver(now=T0)
    message.refresh_from_db()
    assert message.status == Message.Status.WAITING and message.last_error.startswith("no answer")
    province.misbehave("")
    exchange_deliver(now=T0 + datetime.timedelta(minutes=1))
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert province.copies[str(message.message_id)] == 2 and len(province.received) == 1


def _exactly_once(province, cases: int, settings) -> None:
    settings.LINJU_EXCHANGE_MAX_ATTEMPTS = 40
    province.misbehave("fail", rate=0.5)
    messages = [_case_message(n) for n in range(cases)] + [
        _case_message(n, Kind.CASE_FINISHED) for n in range(cases)
    ]
    deliver_until_done(T0)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.SENT}
    assert set(province.received) == {str(m.message_id) for m in messages}
    assert province.refused == []  # each valid against the schema
    assert province.requests > len(messages)  # half the answers did fail


def test_exactly_once_with_half_the_answers_failing(province, settings):
    _exactly_once(province, 25, settings)


def test_answers_lost_after_receipt_still_count_once(province, settings):
    settings.LINJU_EXCHANGE_MAX_ATTEMPTS = 40
    province.misbehave("twice", rate=0.5)
    messages = [_case_message(n) for n in range(20)]
    deliver_until_done(T0)
    assert set(province.received) == {str(m.message_id) for m in messages}
    assert max(province.copies.values()) >= 2


@pytest.mark.heavy
def test_exactly_once_with_half_the_answers_failing_at_scale(province, settings):
    _exactly_once(province, 500, settings)


def test_the_body_is_the_same_bytes_at_every_attempt():
    message = _case_message(1)
    again = Message.objects.get(pk=message.pk)
    assert body_of(message) == body_of(again)
    request = urllib.request.Request("http://x", data=body_of(message))
    assert json.loads(request.data)["message_id"] == str(message.message_id)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises writers)"
)
def test_two_workers_at_once_never_send_the_same_message_twice(province):
    messages = [_case_message(n) for n in range(60)]
    results = run_together([lambda: exchange_deliver(now=T0)] * 3)
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["sent"] for r in results) == len(messages)
    assert set(province.copies.values()) == {1}  # each POSTed once: no two workers took the same
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


def test_a_message_claimed_is_not_claimed_again_until_its_claim_ends():
    _case_message(1)
    until = T0 + datetime.timedelta(seconds=30)
    assert len(delivery.claim(T0, until)) == 1
    assert delivery.claim(T0 + datetime.timedelta(seconds=29), until) == []
    assert len(delivery.claim(until, until + datetime.timedelta(seconds=30))) == 1


def test_a_target_that_does_not_answer_stops_the_run_and_the_rest_waits_untried(province, settings):
    settings.LINJU_EXCHANGE_TIMEOUT = 0.3
    province.misbehave("stall", stall_seconds=1.0)
    messages = [_case_message(n) for n in range(5)]
    assert exchange_deliver(now=T0) == {"sent": 0, "waiting": 1, "dead": 0}
    assert province.requests == 1
    tried = Message.objects.filter(attempts=1)
    assert tried.count() == 1 and tried.get().next_attempt_at == T0 + datetime.timedelta(minutes=1)
    untried = Message.objects.filter(attempts=0)
    assert untried.count() == 4 and set(untried.values_list("next_attempt_at", flat=True)) == {T0}
    province.misbehave("")
    deliver_until_done(T0 + datetime.timedelta(minutes=1))
    assert set(province.received) == {str(m.message_id) for m in messages}
