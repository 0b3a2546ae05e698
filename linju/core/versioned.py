"""Small tables read on every request (the working-day calendar, the delegations), held in each
process and read again only when a writer says they changed.

A writer calls `changed(name)` in its transaction: the version in the shared cache (Redis in
production, so every worker sees it) is bumped at once and again when the transaction commits. A
reader calls `held(name, load)`: one cache read, and `load()` only when the version differs from
the one its copy was loaded at. No database query while nothing has changed.

Why bump twice: the first bump lets the writer's own transaction (and a test wrapped in one) see its
change; the second, after commit, makes any worker that reloaded in between (and so saw the old
rows) load again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

_held: dict[str, tuple[str, object]] = {}


def _key(name: str) -> str:
    return f"linju:version:{name}"


def _bump(name: str) -> None:
    cache.set(_key(name), uuid.uuid4().hex, timeout=None)


def held(name: str, load: Callable[[], T]) -> T:
    version = cache.get(_key(name))
    if version is None:  # first use, or the cache lost it: start a version (racing workers agree)
        cache.add(_key(name), uuid.uuid4().hex, timeout=None)
        version = cache.get(_key(name))
    copy = _held.get(name)
    if copy is not None and copy[0] == version:
        return copy[1]  # type: ignore[return-value]
    value = load()
    _held[name] = (version, value)
    return value


def changed(name: str) -> None:
    _bump(name)
    transaction.on_commit(lambda: _bump(name))


def forget_all() -> None:
    """Drop every process copy (tests: a rolled-back test leaves no trace in the next)."""
    _held.clear()
