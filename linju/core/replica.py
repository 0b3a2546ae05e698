"""Reads that may be served by a PostgreSQL streaming replica, and the router that sends them there.

When DATABASE_REPLICA_URL is set, settings add the database alias "replica" and this router. Every
query goes to the primary ("default") unless its code asked for the replica with `replica_reads()`:
dashboards, exports and discovery's reads of the registry, which may be a moment behind. Writes, and
reads that lock (`select_for_update`, which Django routes as a write), always go to the primary; so
does every read inside a `replica_reads()` block once the same request or job has written something
(it must see its own write), and a replica read is never mixed into a transaction open on the
primary.

    with replica_reads():
        figures = dashboard_figures(viewer=user)

A job (huey) is not a request: its own progress writes do not keep its reads on the primary; it
asks for the replica around the reads that may be behind.
"""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings
from django.db import connections

REPLICA = "replica"

PIN_COOKIE = "linju_primary"
PIN_SECONDS = 10  # longer than the replica is ever behind on one site; see docs/scale.md

_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("linju_replica_reads", default=False)
# One request: {"wrote": bool}; None outside a request (a job asks for the replica where it reads)
_unit: contextvars.ContextVar[dict | None] = contextvars.ContextVar("linju_request_unit", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads():
    """Within this block, reads may come from the replica (when there is one)."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


@contextlib.contextmanager
def request_unit(*, pinned: bool = False):
    """One request: once it has written (or a recent request of the same browser did: `pinned`), its
    reads stay on the primary, so a page shows what its user just saved."""
    unit = {"wrote": pinned}
    token = _unit.set(unit)
    try:
        yield unit
    finally:
        _unit.reset(token)


def reads_from_replica() -> bool:
    unit = _unit.get()
    return (
        _wanted.get()
        and not (unit and unit["wrote"])
        and replica_configured()
        and not connections["default"].in_atomic_block
    )


class ReplicaRouter:
    """DATABASE_ROUTERS entry: the primary for writes, locks and migrations; the replica when asked."""

    def db_for_read(self, model, **hints):
        return REPLICA if reads_from_replica() else "default"

    def db_for_write(self, model, **hints):
        unit = _unit.get()
        if unit is not None:
            unit["wrote"] = True
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # both aliases hold the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's WAL, migrations included


class ReplicaMiddleware:
    """Each request is a unit (see `request_unit`); a request that wrote sets a short cookie, so the
    page its browser is sent to next reads the primary too (read your own write across a redirect)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        with request_unit(pinned=PIN_COOKIE in request.COOKIES) as unit:
            response = self.get_response(request)
            if unit["wrote"] and request.method not in ("GET", "HEAD"):
                response.set_cookie(PIN_COOKIE, "1", max_age=PIN_SECONDS, httponly=True, samesite="Lax")
            return response
