"""The dead-letter list: what the province refused or never answered, with its reason, and a button
to send it again (the same message, the same id)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from linju.access.capabilities import can
from linju.access.guards import needs

from .selectors import dead_letter_list, waiting_count
from .services import exchange_resend

MAX_IDS = 500


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values[:MAX_IDS] if v.isdigit() and len(v) < 12]


@needs("exchange.read")
@login_required
@require_http_methods(["GET", "POST"])
def dead_letters(request):
    if request.method == "POST":
        ids = _ids(request.POST.getlist("message"))
        count = exchange_resend(viewer=request.user, message_ids=ids)
        if count:
            messages.success(
                request, _("%(count)d message(s) will be sent again within a minute.") % {"count": count}
            )
        else:
            messages.info(request, _("Nothing was sent again: choose a message that is still on the list."))
        response = redirect("exchange:dead-letters")
        response.status_code = 303
        return response
    page = Paginator(dead_letter_list(viewer=request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "exchange/dead_letters.html",
        {
            "page": page,
            "waiting": waiting_count(viewer=request.user),
            "may_resend": can(request.user, "exchange.resend"),
        },
    )
