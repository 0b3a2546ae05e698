"""/healthz says which of the database, the cache and the queue answer (503 naming the one that does
not); /livez answers without touching any of them."""

from django.db import connection
from django.db.utils import OperationalError
from django.test.utils import CaptureQueriesContext

from linju.core import views
from linju.core.tests.outage import OUTAGE_CACHES, DownCache


def test_healthz_names_each_component(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": "ok", "cache": "ok", "queue": "ok"}


def test_healthz_is_503_naming_the_cache_when_it_does_not_answer(client, db, settings):
    settings.CACHES = OUTAGE_CACHES
    DownCache.down = True
    try:
        response = client.get("/healthz")
    finally:
        DownCache.down = False
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": "ok", "cache": "down", "queue": "ok"}


def test_healthz_is_503_naming_the_queue_when_it_does_not_answer(client, db, monkeypatch):
    from huey.contrib.djhuey import HUEY

    def refused():
        raise ConnectionError("queue refused")

    monkeypatch.setattr(HUEY, "pending_count", refused)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["queue"] == "down"
    assert response.json()["database"] == "ok" and response.json()["cache"] == "ok"


def test_healthz_is_503_naming_the_database_when_it_does_not_answer(client, db, monkeypatch):
    def refused():
        raise OperationalError("could not connect to server")

    monkeypatch.setitem(views.CHECKS, "database", refused)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "down"


def test_livez_touches_neither_database_nor_cache(client, db, settings):
    settings.CACHES = OUTAGE_CACHES
    DownCache.down = True
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/livez")
    finally:
        DownCache.down = False
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert len(queries) == 0
