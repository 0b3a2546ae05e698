"""The shared cache (Redis in production) as something that may not answer.

Nothing Linju keeps in the cache is the only copy of anything: versions of held tables, answers built
from them, locks that spare repeated work, counters of rate limits. So a cache that raises (Redis
stopped, the network cut) must slow Linju down, never fail a request: each call here answers what
its caller would do without a cache (`default`, or False for a lock not taken), and logs the outage
once per process until the cache answers again.

Callers that must know the call did not happen (a rate limit that fails closed) use `strict`, which
raises `CacheDown`.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.cache import cache

logger = logging.getLogger("linju.cache")

_outage = {"logged": False}
_outage_lock = threading.Lock()


class CacheDown(Exception):
    """The shared cache did not answer."""


def _down(what: str, key: str) -> None:
    with _outage_lock:
        first = not _outage["logged"]
        _outage["logged"] = True
    if first:
        logger.warning(
            "The shared cache does not answer (%s %s): working without it", what, key, exc_info=True
        )


def _up() -> None:
    if _outage["logged"]:
        with _outage_lock:
            if _outage["logged"]:
                _outage["logged"] = False
                logger.warning("The shared cache answers again")


def get(key: str, default: Any = None) -> Any:
    try:
        value = cache.get(key, default)
    except Exception:
        _down("get", key)
        return default
    _up()
    return value


def set(key: str, value: Any, timeout: int | None) -> bool:
    try:
        cache.set(key, value, timeout)
    except Exception:
        _down("set", key)
        return False
    _up()
    return True


def add(key: str, value: Any, timeout: int | None, *, when_down: bool = False) -> bool:
    """Like cache.add; `when_down` when the cache does not answer (True: go ahead as if the lock
    were taken, when doing the work twice costs less than not doing it)."""
    try:
        added = cache.add(key, value, timeout)
    except Exception:
        _down("add", key)
        return when_down
    _up()
    return added


def delete(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        _down("delete", key)


def strict(operation: str, *args: Any, **kwargs: Any) -> Any:
    """A cache call whose caller must know it did not happen (a counter that guards something):
    CacheDown instead of the client's own error."""
    try:
        value = getattr(cache, operation)(*args, **kwargs)
    except ValueError:  # the cache's own answer (incr of a missing key), not an outage
        raise
    except Exception as error:
        _down(operation, str(args[0]) if args else "")
        raise CacheDown(str(error)) from error
    _up()
    return value
