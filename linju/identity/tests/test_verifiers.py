"""The real adapters speak the documented HTTP interfaces (tested against the stand-ins served over
HTTP), and the stand-ins the demo runs in the process answer what the real adapters answer."""

import datetime
import socket

import pytest
from django.utils import timezone

from linju.identity.models import Method, Result
from linju.identity.standin import (
    ECardPlatformApp,
    ReaderServiceApp,
    StandInCardReader,
    StandInECardPlatform,
    card_on_reader,
    serve,
)
from linju.identity.verifiers import Card, CardReaderService, Check, ECardPlatform

DAI = {"name": "代云峰", "id_number": "50022219850304001X"}


@pytest.fixture
def reader():
    app = ReaderServiceApp()
    url, server = serve(app)
    yield app, CardReaderService(url)
    server.shutdown()


@pytest.fixture
def platform():
    app = ECardPlatformApp(app_key="key-of-the-bureau")
    url, server = serve(app)
    yield app, ECardPlatform(url, app_key="key-of-the-bureau")
    server.shutdown()


def a_closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def today():
    return timezone.localdate()


@pytest.mark.parametrize(
    ("card", "result"),
    [
        (Card("id_card", "代云峰", "50022219850304001X", None), Result.VALID),  # 长期: valid for life
        (Card("id_card", "代 云峰", "50022219850304001x", datetime.date(2040, 1, 1)), Result.VALID),
        (Card("id_card", "代云峰", "50022219850304001X", datetime.date(2020, 1, 1)), Result.EXPIRED),
        (Card("id_card", "王某某", "110101199003070011", None), Result.MISMATCH),
        (Card("id_card", "代云", "50022219850304001X", None), Result.MISMATCH),  # the number, another name
    ],
)
def test_the_reader_service_card_held_against_the_person(reader, card, result):
    app, adapter = reader
    app.put("counter-1", card)
    answer = adapter.verify(Check(method=Method.ID_CARD_READER, terminal="counter-1", **DAI))
    assert answer.result == result


def test_a_reader_with_no_card_on_it_says_so(reader):
    _app, adapter = reader
    answer = adapter.verify(Check(method=Method.ID_CARD_READER, terminal="counter-1", **DAI))
    assert (answer.result, answer.no_card) == (Result.MISMATCH, True)


def test_the_social_security_card_is_read_as_its_own_kind(reader):
    app, adapter = reader
    app.put("counter-1", Card("social_card", "代云峰", "50022219850304001X", datetime.date(2035, 5, 1)))
    assert (
        adapter.verify(Check(method=Method.SOCIAL_CARD, terminal="counter-1", **DAI)).result == Result.VALID
    )
    # the ID card was asked for, and a 社保卡 is on the reader: no ID card read
    assert adapter.verify(Check(method=Method.ID_CARD_READER, terminal="counter-1", **DAI)).no_card


def test_a_reader_service_that_is_not_running_is_unreachable():
    adapter = CardReaderService(a_closed_port())
    assert adapter.verify(Check(method=Method.ID_CARD_READER, **DAI)).result == Result.UNREACHABLE


def test_a_reader_slower_than_the_timeout_is_unreachable(reader):
    app, adapter = reader
    app.put("counter-slow", Card("id_card", "代云峰", "50022219850304001X", None))
    answer = adapter.verify(Check(method=Method.ID_CARD_READER, terminal="counter-slow", **DAI))
    assert answer.result == Result.UNREACHABLE


@pytest.mark.parametrize(
    ("qr", "result"),
    [
        ("DEMO-ECARD:50022219850304001X", Result.VALID),
        ("DEMO-ECARD:50022219850304001X:expired", Result.EXPIRED),
        ("DEMO-ECARD:110101199003070011", Result.MISMATCH),
        ("a code of no card", Result.MISMATCH),
    ],
)
def test_the_platform_answers_for_the_code_and_the_person(platform, qr, result):
    app, adapter = platform
    assert adapter.verify(Check(method=Method.ECARD, qr=qr, terminal="booth-7", **DAI)).result == result
    assert app.bodies[-1] == {
        "qr": qr,
        "id_number": DAI["id_number"],
        "name": "代云峰",
        "terminal": "booth-7",
    }


def test_the_platform_refusing_the_app_key_or_down_or_slow_is_unreachable(platform):
    app, adapter = platform
    check = Check(method=Method.ECARD, qr="DEMO-ECARD:50022219850304001X", **DAI)
    assert ECardPlatform(adapter.base_url, app_key="wrong").verify(check).result == Result.UNREACHABLE
    app.down = True
    assert adapter.verify(check).result == Result.UNREACHABLE
    app.down = False
    slow = Check(method=Method.ECARD, qr=check.qr, terminal="booth-slow", **DAI)
    assert adapter.verify(slow).result == Result.UNREACHABLE
    assert adapter.verify(check).result == Result.VALID
    assert ECardPlatform(a_closed_port(), app_key="k").verify(check).result == Result.UNREACHABLE


@pytest.mark.parametrize("terminal", ["counter-1", "counter-1-expired", "counter-1-other", "counter-1-slow"])
@pytest.mark.parametrize("method", [Method.ID_CARD_READER, Method.SOCIAL_CARD])
def test_the_stand_in_reader_answers_as_the_reader_service_would(reader, terminal, method):
    app, adapter = reader
    kind = "id_card" if method == Method.ID_CARD_READER else "social_card"
    app.put(terminal, card_on_reader(kind, terminal, DAI["name"], DAI["id_number"], today()))
    check = Check(method=method, terminal=terminal, **DAI)
    assert StandInCardReader().verify(check) == adapter.verify(check)


def test_the_stand_in_reader_down_answers_as_no_service_would():
    check = Check(method=Method.ID_CARD_READER, terminal="counter-down", **DAI)
    assert StandInCardReader().verify(check) == CardReaderService(a_closed_port()).verify(check)


@pytest.mark.parametrize(
    ("qr", "terminal"),
    [
        ("DEMO-ECARD:50022219850304001X", "booth-1"),
        ("DEMO-ECARD:50022219850304001X:expired", "booth-1"),
        ("DEMO-ECARD:110101199003070011", "booth-1"),
        ("DEMO-ECARD:50022219850304001X", "booth-slow"),
    ],
)
def test_the_stand_in_platform_answers_as_the_platform_would(platform, qr, terminal):
    _app, adapter = platform
    check = Check(method=Method.ECARD, qr=qr, terminal=terminal, **DAI)
    assert StandInECardPlatform().verify(check) == adapter.verify(check)
