"""The field app's pages: one shell page, its service worker (served from /field/ so that it may
control the app's pages), its web manifest and its words (the JavaScript catalogue)."""

from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

from linju.access.capabilities import require
from linju.access.guards import needs, public
from linju.cases.models import Case
from linju.identity.models import Method

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "field" / "sw.js"


def field_urls() -> dict[str, str]:
    """The addresses the app sends to, from Django's URLs (a JSON block in the page, read by
    static/field/app.js); {name} is filled in there."""

    def template(name: str, **names: str) -> str:
        return unquote(reverse(name, kwargs={key: f"{{{value}}}" for key, value in names.items()}))

    return {
        "bundle": reverse("api:bundle"),
        "cases": reverse("api:create_case"),
        "identity_verify": reverse("api:identity_verify"),
        "case_photos": template("api:add_photo", number="number"),
        "consultations": template("api:create_consultation", booth_id="booth"),
        "task_complete": template("api:complete_home_task", task_id="task"),
        "visits": reverse("api:create_visit"),
        "offer_answer": template("api:answer_offer", offer_id="offer"),
        "gig_sign_ins": reverse("api:sign_in_gig_worker"),
        "sign_out": reverse("accounts:logout"),
    }


@needs("case.accept")
@login_required
@require_GET
def shell(request):
    require(request.user, "case.accept")
    return render(
        request,
        "field/index.html",
        {
            "field_user": request.user.pk,
            "urls": field_urls(),
            "relations": Case.Relation.choices,
            "methods": Method.choices,
        },
    )


@public
@require_GET
@never_cache
def service_worker(request):
    shell_url = reverse("field:shell")
    script = (
        SERVICE_WORKER.read_text()
        .replace("__SHELL_URL__", shell_url)
        .replace("__API_URL__", reverse("api:api-root"))
        .replace("__STATIC_URL__", settings.STATIC_URL)
        .replace("__IDB_URL__", static("vendor/idb/umd.js"))
        .replace("__QUEUE_URL__", static("field/queue.js"))
    )
    response = HttpResponse(script, content_type="application/javascript")
    response["Service-Worker-Allowed"] = shell_url
    return response


# The app's words in the user's language (locale/*/LC_MESSAGES/djangojs.po), as Django's JavaScript
# catalogue: gettext(), ngettext() and interpolate() for static/field/app.js. It is served under the
# app's address so that the service worker keeps it for the days without signal.
catalogue = public(require_GET(JavaScriptCatalog.as_view(domain="djangojs", packages=["linju.field"])))


@public
@require_GET
def manifest(request):
    return JsonResponse(
        {
            "name": "邻居 · 外勤",
            "short_name": "邻居外勤",
            "start_url": reverse("field:shell"),
            "scope": reverse("field:shell"),
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b6e4f",
            "lang": "zh-Hans",
            "icons": [{"src": static("field/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
