from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from linju.access.guards import needs
from linju.core.enqueue import enqueue
from linju.core.errors import NotFound
from linju.core.request_context import request_context

from . import exports
from .models import AuditEvent, ExportJob
from .selectors import audit_event_list, audit_log_alert, export_job_of
from .tasks import build_export


@needs("audit.read")
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
        {
            "page": page,
            "action": action,
            "actor": actor,
            "actions": AuditEvent.Action.choices,
            "audit_alert": audit_log_alert(viewer=request.user),
        },
    )


def start_export(request: HttpRequest, kind: str, params: dict) -> HttpResponse:
    """What every export button's view answers: the job queued for a worker, and the page where
    the file will be (303, so a reload does not ask again)."""
    job = exports.export_start(
        viewer=request.user, kind=kind, params=params, context=request_context(request)
    )
    enqueue(build_export, job.pk, record=False)  # refused: the job waits, and the sweep queues it
    response = redirect("audit:export", token=job.token)
    response.status_code = 303
    return response


@needs("personal.export")
@login_required
@require_GET
def export_page(request, token):
    job = export_job_of(viewer=request.user, token=token)
    waiting = job.status in (ExportJob.Status.QUEUED, ExportJob.Status.BUILDING)
    return render(request, "audit/export.html", {"job": job, "waiting": waiting})


@needs("personal.export")
@login_required
@require_GET
def export_file(request, token):
    job = export_job_of(viewer=request.user, token=token)
    if job.status != ExportJob.Status.DONE:
        raise NotFound(_("The file is not ready yet."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
