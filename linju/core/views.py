import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from linju.core.declared import public
from linju.core.errors import error_body

logger = logging.getLogger("linju.health")


def page_not_found(request, exception=None):
    """An address no one serves. Under the API, a JSON answer in words as the API's own 404s are
    (a client reading JSON is not handed a web page)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("not_found", _("No such address in the API: see /api/v1/docs.")),
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "core/error.html", {"status": 404, "message": None}, status=404)


@public
def livez(request):
    """Liveness: the process answers. Touches neither the database nor the cache nor the queue (a
    load balancer restarts what fails it; the benchmarks' baseline)."""
    return JsonResponse({"ok": True})


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key = f"linju:healthz:{uuid.uuid4().hex}"
    cache.set(key, 1, 10)
    if cache.get(key) != 1:
        raise RuntimeError("the cache did not keep a value")
    cache.delete(key)


def _queue() -> None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()  # asks the queue's storage (Redis, or the SQLite file)


CHECKS = {"database": _database, "cache": _cache, "queue": _queue}


@public
def healthz(request):
    """Readiness: whether the database, the shared cache and the job queue answer, each by name;
    503 when one does not (Linju still takes cases without the cache or the queue, more slowly and
    with jobs left for the sweeps, but a monitor should know)."""
    components = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            logger.warning("Health check: the %s does not answer: %s", name, error)
            components[name] = "down"
        else:
            components[name] = "ok"
    ok = all(state == "ok" for state in components.values())
    return JsonResponse({"ok": ok, **components}, status=200 if ok else 503)
