"""The per-case pause of the public status look-up: every try is counted, by one atomic increment of
the shared cache, before it is evaluated, so no more than STATUS_WRONG_TRIES tries of an hour are
ever evaluated against a case, however many arrive at once; a right answer gives its try back."""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from linju.cases.services import (
    STATUS_WRONG_TRIES,
    LookupPaused,
    case_status_lookup,
)
from linju.cases.services import status as status_lookup
from linju.cases.tests.factories import case_at_booth
from linju.core.errors import NotFound


@pytest.fixture
def case(served):
    return case_at_booth(served)


@pytest.fixture
def evaluated(monkeypatch):
    """The tries that reached the check of number and phone (held a moment each, as a busy database
    would, so that tries sent together overlap)."""
    calls = []
    lock = threading.Lock()
    real = status_lookup.case_public_status

    def counted(**kwargs):
        with lock:
            calls.append(kwargs["phone_last4"])
        time.sleep(0.05)
        return real(**kwargs)

    monkeypatch.setattr(status_lookup, "case_public_status", counted)
    return calls


def wrong(i: int) -> str:
    return f"{i:04d}"


def test_the_try_after_the_last_wrong_one_is_not_evaluated(served, case, evaluated):
    right = served.dai.phone[-4:]
    tries = [wrong(i) for i in range(20) if wrong(i) != right][: STATUS_WRONG_TRIES + 1]
    for phone in tries[:-1]:
        with pytest.raises(NotFound):
            case_status_lookup(number=case.number, phone_last4=phone)
    with pytest.raises(LookupPaused):
        case_status_lookup(number=case.number, phone_last4=tries[-1])
    with pytest.raises(LookupPaused):
        case_status_lookup(number=case.number, phone_last4=right)
    assert evaluated == tries[:-1]


def test_a_right_answer_gives_its_try_back(served, case, evaluated):
    right = served.dai.phone[-4:]
    tries = [wrong(i) for i in range(20) if wrong(i) != right][:STATUS_WRONG_TRIES]
    for phone in tries[:-1]:
        with pytest.raises(NotFound):
            case_status_lookup(number=case.number, phone_last4=phone)
    for _ in range(3):
        assert case_status_lookup(number=case.number, phone_last4=right) == case
    with pytest.raises(NotFound):  # still the tenth wrong try, not the thirteenth
        case_status_lookup(number=case.number, phone_last4=tries[-1])
    with pytest.raises(LookupPaused):
        case_status_lookup(number=case.number, phone_last4=right)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads each with a connection need PostgreSQL"
)
def test_sixty_wrong_tries_at_once_from_sixty_addresses_evaluate_ten(served, case, evaluated, settings):
    """Each try took the count, evaluated, then added to it: sixty sent together all read "none yet"
    and were all evaluated. Through the page, each from its own address (so the per-address limit,
    in front of the pause, lets every one through)."""
    settings.STATUS_LOOKUP_RATE = "1000/m"
    right = served.dai.phone[-4:]
    phones = [wrong(i) for i in range(100) if wrong(i) != right][:60]
    barrier = threading.Barrier(len(phones))
    answers = [None] * len(phones)

    def attempt(index: int) -> None:
        try:
            barrier.wait()
            answers[index] = (
                Client()
                .post(
                    reverse("status"),
                    {"number": case.number, "phone_last4": phones[index]},
                    REMOTE_ADDR=f"10.1.{index // 200}.{index % 200 + 1}",
                )
                .status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(phones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(evaluated) == STATUS_WRONG_TRIES
    assert answers.count(404) == STATUS_WRONG_TRIES and answers.count(429) == len(phones) - STATUS_WRONG_TRIES
