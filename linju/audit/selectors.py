from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from linju.core.errors import PermissionDenied
from linju.core.scoping import viewer_is_administrator

from .models import AuditEvent

if TYPE_CHECKING:
    from linju.accounts.models import User


def audit_event_list(*, viewer: User, action: str = "", actor: str = "") -> QuerySet[AuditEvent]:
    """The audit log, for administrators only; a bureau's administrator sees their own bureau's staff."""
    if not viewer_is_administrator(viewer):
        raise PermissionDenied(_("Only administrators may read the audit log."))
    events = AuditEvent.objects.select_related("actor")
    if not (viewer.is_superuser and viewer.bureau_id is None):
        events = events.filter(actor__bureau_id=viewer.bureau_id)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor__username=actor)
    return events.order_by("-created_at", "-id")
