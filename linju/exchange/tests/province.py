"""The stand-in province as a fixture, and the worker's helpers, for the tests of exchange and of
the apps that tell the province."""

import datetime

import pytest

from linju.exchange.delivery import exchange_deliver
from linju.exchange.models import Message
from linju.exchange.standin import StandInProvince, serve

KEY = "province-test-key"


@pytest.fixture
def province(settings):
    """The stand-in province served in a thread, and the settings pointing at it."""
    app = StandInProvince(KEY, seed=7)
    server, url = serve(app)
    settings.LINJU_PROVINCE_URL = url
    settings.LINJU_PROVINCE_KEY = KEY
    settings.LINJU_EXCHANGE_TIMEOUT = 2.0
    yield app
    server.shutdown()
    server.server_close()


def deliver_until_done(now, rounds: int = 80):
    """The worker's minutes, each an hour apart so that every backoff and claim has ended; the time
    when nothing waits any more."""
    for _ in range(rounds):
        exchange_deliver(now=now)
        if not Message.objects.filter(status=Message.Status.WAITING).exists():
            return now
        now += datetime.timedelta(hours=1)
    raise AssertionError("messages still waiting")


class KilledOnce:
    """Stands in for `delivery._record`: the `at`-th answer is never written, as if the worker died
    after its POST and before marking the message sent; the others are written as usual."""

    def __init__(self, real, at: int):
        self.real, self.at, self.calls, self.killed = real, at, 0, None

    def __call__(self, message, *args):
        self.calls += 1
        if self.calls == self.at:
            self.killed = str(message.message_id)
            raise SystemExit("the worker died after the POST, before marking it sent")
        return self.real(message, *args)
