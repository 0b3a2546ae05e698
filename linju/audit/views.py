from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import AuditEvent
from .selectors import audit_event_list


@login_required
def audit_list(request):
    action = request.GET.get("action", "")
    if action not in AuditEvent.Action.values:
        action = ""
    actor = request.GET.get("actor", "")[:150]
    events = audit_event_list(viewer=request.user, action=action, actor=actor)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {"page": page, "action": action, "actor": actor, "actions": AuditEvent.Action.choices},
    )
