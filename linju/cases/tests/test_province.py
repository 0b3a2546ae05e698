"""The province is told of each case's 受理, 补正, 延期, 退回 and 办结 and of its rating, once each, in
the change's own transaction; delivered through the stand-in province (half its answers failing, a
worker killed after a POST), every message arrives once and valid against the schema."""

import datetime

import pytest
from django.db import transaction

from linju.cases.models import Case
from linju.cases.services import (
    Outcome,
    case_move_within,
    case_rate_by_resident,
    extension_ask,
    extension_decide,
)
from linju.cases.tests.factories import case_moved, case_taken
from linju.conftest_world import at
from linju.exchange import delivery
from linju.exchange.models import Message
from linju.exchange.standin import province_validator
from linju.exchange.tests import province as stand_in
from linju.exchange.tests.province import KilledOnce, deliver_until_done

province = stand_in.province  # the stand-in province, as a fixture here

GRANTED = Outcome(kind="granted", detail="已发放")


def _kinds(case: Case) -> list[str]:
    return list(
        Message.objects.filter(payload__case_number=case.number).order_by("id").values_list("kind", flat=True)
    )


def test_each_move_the_province_knows_is_one_message_in_its_field_set(served):
    validator = province_validator()
    case = case_taken(served)
    case_moved(served, case, "suspend", missing=["诊断证明"])
    case_moved(served, case, "resume")  # not one of the province's states: nothing
    asked = extension_ask(actor=served.cadre, number=case.number, working_days=3, reason="需外省协查")
    extension_decide(actor=served.leader, extension_id=asked.pk, approve=True, now=at(2026, 11, 27))
    case_moved(served, case, "finish", outcome=GRANTED, now=at(2026, 11, 30))
    other = case_moved(served, case_taken(served), "return", reason="不符合条件")
    assert _kinds(case) == ["case_accepted", "case_suspended", "case_extended", "case_finished"]
    assert _kinds(other) == ["case_accepted", "case_returned"]
    case.refresh_from_db()
    messages = {m.kind: m.payload for m in Message.objects.filter(payload__case_number=case.number)}
    for payload in [
        *messages.values(),
        *Message.objects.filter(kind="case_returned").values_list("payload", flat=True),
    ]:
        assert validator.is_valid(payload), list(validator.iter_errors(payload))
    accepted, finished = messages["case_accepted"], messages["case_finished"]
    assert accepted["region_code"] == served.yongxin.code and len(accepted["region_code"]) == 12
    assert accepted["service_code"] == "UI-002" and accepted["department_code"] == case.bureau.code
    assert accepted["channel"] == "counter" and accepted["accepted_on"] == "2026-11-25"
    assert accepted["occurred_at"] == "2026-11-25T10:00:00+08:00" or accepted["occurred_at"].startswith(
        "2026-11-25T"
    )
    assert messages["case_suspended"]["missing"] == ["诊断证明"]
    assert messages["case_extended"]["extended_days"] == 3
    assert finished["outcome"] == "granted" and finished["finished_on"] == "2026-11-30"
    assert finished["promised_date"] == case.promised_date.isoformat()
    assert Message.objects.filter(kind="case_returned").get().payload["reason"] == "不符合条件"


def test_a_move_rolled_back_tells_the_province_nothing(served):
    case = case_taken(served)
    before = Message.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        case_move_within(actor=served.cadre, number=case.number, action="finish", outcome=GRANTED)
        raise RuntimeError("the service that moved it fails afterwards")
    assert Message.objects.count() == before


def _cases_arrive_exactly_once(served, province, settings, monkeypatch, cases: int) -> None:
    settings.LINJU_EXCHANGE_MAX_ATTEMPTS = 40
    province.misbehave("fail", rate=0.5)
    numbers = []
    for n in range(cases):
        case = case_taken(served, now=at(2026, 11, 25) + datetime.timedelta(seconds=n))
        case_moved(served, case, "finish", outcome=GRANTED)
        # the resident rates it on the status page, every level in turn (a fifth of them 非常不满意)
        case_rate_by_resident(number=case.number, phone_last4=served.dai.phone[-4:], level=n % 5 + 1)
        numbers.append(case.number)
    killed = KilledOnce(delivery._record, at=3)
    monkeypatch.setattr(delivery, "_record", killed)
    now = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    with pytest.raises(SystemExit):
        delivery.exchange_deliver(now=now)
    deliver_until_done(now + datetime.timedelta(minutes=5))  # after the dead worker's claim
    assert province.refused == []  # every message valid against the schema, signed right
    arrived = [(p["case_number"], p["kind"]) for p in province.received.values()]
    kinds = ("case_accepted", "case_finished", "rating")
    assert sorted(arrived) == sorted((n, k) for n in numbers for k in kinds)  # each once, none missing
    levels = sorted(p["level"] for p in province.received.values() if p["kind"] == "rating")
    assert levels == sorted(n % 5 + 1 for n in range(cases))
    assert province.copies[killed.killed] >= 2  # the killed worker's message went again, counted once
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


def test_cases_and_their_ratings_reach_the_province_exactly_once_with_half_its_answers_failing(
    served, province, settings, monkeypatch
):
    _cases_arrive_exactly_once(served, province, settings, monkeypatch, 25)


@pytest.mark.heavy
def test_a_thousand_cases_and_their_ratings_reach_the_province_exactly_once(
    served, province, settings, monkeypatch
):
    _cases_arrive_exactly_once(served, province, settings, monkeypatch, 1000)
