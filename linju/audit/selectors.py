from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.roles import is_platform_admin
from linju.core.errors import NotFound

from .models import AuditCheck, AuditEvent, ExportJob

if TYPE_CHECKING:
    from linju.accounts.models import User


def audit_event_list(*, viewer: User, action: str = "", actor: str = "") -> QuerySet[AuditEvent]:
    """The audit log, for administrators only; a bureau's administrator sees what was done with their
    bureau's records (by whoever did it: its staff, or an administrator of the whole installation)."""
    require(viewer, "audit.read")
    events = AuditEvent.objects.select_related("actor")
    if not is_platform_admin(viewer):
        events = events.filter(bureau_id=viewer.bureau_id)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__username=actor)
    return events.order_by("-created_at", "-id")


def export_job_of(*, viewer: User, token) -> ExportJob:
    """One of the viewer's own exports: a file is downloaded only by the one who asked for it."""
    job = ExportJob.objects.filter(token=token, requested_by=viewer).first()
    if job is None:
        raise NotFound(_("No such export: it is someone else's, or older than a day."))
    return job


def audit_log_alert(*, viewer: User) -> AuditCheck | None:
    """The last check of the viewer's bureau's audit log if it found something (the nightly
    `audit_verify`); for an administrator of the whole installation, the last failed one of any.
    One query."""
    require(viewer, "audit.read")
    checks = AuditCheck.objects.order_by("-checked_at", "-id")
    if is_platform_admin(viewer):
        return checks.exclude(findings=[]).first()
    last = checks.filter(bureau_id=viewer.bureau_id).first()
    return last if last is not None and last.findings else None
