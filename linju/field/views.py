"""The field app's pages: one shell page, its service worker (served from /field/ so that it may
control the app's pages) and its web manifest."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from linju.access.capabilities import require
from linju.access.guards import needs, public
from linju.cases.models import Case

SERVICE_WORKER = Path(settings.BASE_DIR) / "static" / "field" / "sw.js"


def field_strings() -> dict[str, str]:
    """The words the app writes itself, in the user's language (a JSON catalogue in the page, read
    by static/field/app.js; %(name)s is filled in there)."""
    return {
        "confirm_sign_out": _(
            "%(count)s records have not been sent. Signing out deletes what this phone keeps: sign out anyway?"
        ),
        "task_label": _("Home visit · %(kind)s · %(resident)s"),
        "visit_label": _("Village visit · %(village)s"),
        "consult_label": _("Question · %(item)s"),
        "no_booth_today": _(
            "No booth is planned here today, so a question alone cannot be recorded: choose today's booth."
        ),
        "choose_item": _("Choose the service item."),
        "person": _("Write the name and the 18-digit ID number."),
        "agent": _("For the agent (代办人) write the name, the 18-digit ID number and how they are related."),
        "agent_phone": _("Texts to the agent need the agent's phone."),
        "no_material": _(
            "Mark at least one material as handed in or missing (缺), or write why there is none."
        ),
        "photo_unreadable": _("The photo cannot be read; take it again: %(material)s"),
        "photograph": _("Photograph: %(material)s"),
        "take_photo": _("Take a photo"),
        "photo_taken": _("Photo taken"),
        "handed_in": _("handed in"),
        "missing": _("missing"),
        "promise_by": _("Answer promised by %(date)s"),
        "promise_paused": _("Answer within %(days)s working days once the missing materials are brought"),
        "on_the_spot": _("done on the spot"),
        "estimated": _("(estimated)"),
        "provisional": _("P-%(key)s"),
        "receipt_question": _("Question recorded, to be sent · %(reference)s"),
        "receipt_waiting": _("Number to come once sent · provisional number %(reference)s"),
        "receipt_number": _("Case number %(number)s (sent)"),
        "receipt_refused": _("Not accepted by the server · %(reference)s: see “Needs your decision”"),
        "receipt_taken": _("Taken at %(moment)s"),
        "receipt_missing": _("Missing (缺): %(missing)s"),
        "receipt_agent": _("Agent (代办人): %(name)s"),
        "receipt_photos": _("%(count)s photos of materials, sent with the request."),
        "receipt_texts": _("Sent by itself when there is signal; the case number comes by text message."),
        "signal": _("Signal: records are sent at once."),
        "no_signal": _("No signal: records stay on this phone and are sent when there is signal."),
        "data_date": _("Data on this phone: %(date)s · version %(version)s"),
        "booth_line": _("%(date)s booth · %(name)s"),
        "task_line": _(
            "%(due)s home visit · %(kind)s · %(resident)s %(id_number)s · %(village)s %(address)s"
        ),
        "result_recorded": _("result recorded"),
        "result": _("Result"),
        "done": _("Done"),
        "not_accepted": _("The server did not accept it"),
        "discard": _("Dealt with, delete"),
        "take_registered_name": _("The ID card is theirs: take it under the registered name"),
        "finished_here": _("finished here"),
        "sent_same_day": _("sent to the district the same day"),
        "question_recorded": _("Question recorded"),
        "task_recorded": _("Home visit recorded"),
        "visit_recorded": _("Visit recorded"),
        "promised": _("promised %(date)s"),
        "no_persist": _("This browser cannot keep data for long."),
        "persisted": _("The data on this phone is kept for long: the browser will not clear it."),
        "not_persisted": _("The browser did not agree to keep the data: add this app to the home screen."),
    }


@needs("case.accept")
@login_required
@require_GET
def shell(request):
    require(request.user, "case.accept")
    return render(
        request,
        "field/index.html",
        {"field_user": request.user.pk, "strings": field_strings(), "relations": Case.Relation.choices},
    )


@public
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


@public
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
