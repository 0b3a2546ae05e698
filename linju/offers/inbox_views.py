"""Staff's list of texts residents sent back that are not an answer (1, 2, 3) or a stop (TD)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from linju.access.guards import needs
from linju.core.errors import DomainError
from linju.core.feedback import flash_error

from .selectors import INBOX_LENGTH, texts_to_read
from .services.replies import text_reply_mark_read


@needs("outreach.work")
@login_required
@require_GET
def texts_received(request):
    replies = texts_to_read(viewer=request.user)
    return render(
        request,
        "offers/texts_received.html",
        {"replies": replies[:INBOX_LENGTH], "count": replies.count()},
    )


@needs("outreach.work")
@login_required
@require_POST
def text_read(request, reply_id: int):
    try:
        text_reply_mark_read(actor=request.user, reply_id=reply_id)
    except DomainError as error:
        flash_error(request, error)
    else:
        messages.success(request, _("Marked as read."))
    return redirect("texts-received")
