"""The field app's pages: one shell page, its service worker (served from /field/ so that it may
control the app's pages) and its web manifest."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linju.access.capabilities import require

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "field" / "sw.js"


@login_required
@require_GET
def shell(request):
    require(request.user, "case.accept")
    return render(request, "field/index.html", {"field_user": request.user.pk})


@require_GET
@never_cache
def service_worker(request):
    script = (
        SERVICE_WORKER.read_text()
        .replace("__IDB_URL__", static("vendor/idb/umd.js"))
        .replace("__QUEUE_URL__", static("field/queue.js"))
    )
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/field/"
    return response


@require_GET
def manifest(request):
    return JsonResponse(
        {
            "name": "邻居 · 外勤",
            "short_name": "邻居外勤",
            "start_url": "/field/",
            "scope": "/field/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b6e4f",
            "lang": "zh-Hans",
            "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
