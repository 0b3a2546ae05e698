"""Test support: a shared cache and a queue that stop answering when a test says so, raising what
Redis's client raises (redis.exceptions.ConnectionError), as when Redis is stopped.

    settings.CACHES = OUTAGE_CACHES     # then DownCache.down = True / False
    queue_down(monkeypatch)             # then .down = True / False: huey refuses to enqueue
"""

from __future__ import annotations

from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import ConnectionError as RedisConnectionError

OUTAGE_CACHES = {"default": {"BACKEND": "linju.core.tests.outage.DownCache", "LOCATION": "linju-test-outage"}}


def _refused(*args, **kwargs):
    raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class DownCache(LocMemCache):
    """A local-memory cache while `down` is False; every call raises, as Redis's client does, while
    it is True."""

    down = False

    def __getattribute__(self, name):
        if (
            name
            in {
                "get",
                "set",
                "add",
                "delete",
                "incr",
                "decr",
                "get_or_set",
                "get_many",
                "set_many",
                "delete_many",
                "touch",
                "has_key",
                "clear",
            }
            and type(self).down
        ):
            return _refused
        return super().__getattribute__(name)


class QueueSwitch:
    """While `down`, huey's storage refuses every enqueue as Redis would; `refused` counts them."""

    def __init__(self) -> None:
        self.down = False
        self.refused = 0


def queue_down(monkeypatch) -> QueueSwitch:
    from huey.contrib.djhuey import HUEY

    switch = QueueSwitch()
    storage = HUEY.storage
    enqueue = storage.enqueue

    def maybe_refused(data, priority=None):
        if switch.down:
            switch.refused += 1
            _refused()
        return enqueue(data, priority)

    monkeypatch.setattr(storage, "enqueue", maybe_refused)
    return switch
