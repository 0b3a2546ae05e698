"""Small tables read on every request (the catalogue and delegations, the places, the working-day
calendar), held in each process and read again only when a writer says they changed.

A writer calls `changed(name)` in its transaction: its own process drops its copy at once and the
version in the shared cache (Redis in production, so every worker sees it) is bumped, at once and
again when the transaction commits. A reader calls `held(name, load)`: it uses its copy, asks the
shared cache for the version at most once a second (`CHECK_EVERY`), and calls `load()` only when
the version differs from the one its copy was loaded at. So no database query while nothing has
changed, and other workers see a change within a second of its commit.

Why bump twice: the first bump lets the writer's own transaction (and a test wrapped in one) see its
change; the second, after commit, makes any worker that reloaded in between (and so read the old
rows) load again.

When the shared cache does not answer (linju/core/shared_cache.py logs it), a reader keeps the copy
it holds (the last version it saw), or loads one from the database when it holds none; a writer's
bump that did not reach the cache is owed, and made by its process as soon as the cache answers.
Every request goes on working; other workers see a change made during the outage once it is over.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction

from . import shared_cache

T = TypeVar("T")

CHECK_EVERY = 1.0  # seconds between two looks at the shared version


@dataclass
class _Seen:
    version: str
    checked: float  # time.monotonic() of the last look at the shared version


_seen: dict[str, _Seen] = {}  # the shared versions, as last looked at
_held: dict[str, tuple[str, Any]] = {}  # name -> (the version it was loaded at, the value)
_owed: set[str] = set()  # tables changed here while the cache was down: bumped when it answers
OFFLINE = "offline"  # the version of a copy loaded while the cache did not answer


def _key(name: str) -> str:
    return f"linju:version:{name}"


def version(name: str) -> str:
    """The shared version of a table, looked at most once a second (also for keys of answers built
    from tables nothing is held of here, such as the booth plan)."""
    now = time.monotonic()
    seen = _seen.get(name)
    if seen is not None and now - seen.checked < CHECK_EVERY:
        return seen.version
    try:
        if name in _owed:  # changed here while the cache was down: the others learn it now
            shared_cache.strict("set", _key(name), uuid.uuid4().hex, timeout=None)
            _owed.discard(name)
        current = shared_cache.strict("get", _key(name))
        if current is None:  # first use, or the cache lost it: start a version (racing workers agree)
            shared_cache.strict("add", _key(name), uuid.uuid4().hex, timeout=None)
            current = shared_cache.strict("get", _key(name))
    except shared_cache.CacheDown:
        # the last version seen here, looked at again in a second; none seen: a copy of its own
        current = seen.version if seen is not None else OFFLINE
    _seen[name] = _Seen(version=current, checked=now)
    return current


def held(name: str, load: Callable[[], T]) -> T:
    current = version(name)
    copy = _held.get(name)
    if copy is not None and copy[0] == current:
        return copy[1]
    value = load()
    _held[name] = (current, value)
    return value


def _bump(name: str) -> None:
    _seen.pop(name, None)
    _held.pop(name, None)
    if not shared_cache.set(_key(name), uuid.uuid4().hex, None):
        _owed.add(name)


def changed(name: str) -> None:
    _bump(name)
    transaction.on_commit(lambda: _bump(name))


# Answers built from held tables, under keys that name the versions they were built from: first
# looked for in this process (a bounded map, oldest out first), then in the shared cache.
LOCAL_ANSWERS = 4096
_answers: OrderedDict[str, Any] = OrderedDict()
_answers_lock = threading.Lock()


def answer(key: str, seconds: int, build: Callable[[], T]) -> T:
    """The answer kept under `key` (which must name everything the answer depends on), or `build()`'s,
    kept for `seconds` in the shared cache and while it lasts in this process's map."""
    with _answers_lock:
        if key in _answers:
            return _answers[key]
    value = shared_cache.get(key)
    if value is None:
        value = build()
        shared_cache.set(key, value, seconds)
    with _answers_lock:
        _answers[key] = value
        while len(_answers) > LOCAL_ANSWERS:
            _answers.popitem(last=False)
    return value


def forget_all() -> None:
    """Drop every process copy (tests: a rolled-back test leaves no trace in the next)."""
    _seen.clear()
    _held.clear()
    _owed.clear()
    with _answers_lock:
        _answers.clear()
