from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.access.roles import is_platform_admin
from linju.core.errors import NotFound
from linju.people.models import Resident

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


def audit_events_about(
    *, resident_ids: list[int], case_numbers: list[str], village_codes: list[str], town_codes: list[str]
) -> list[AuditEvent]:
    """What the audit log holds of one person, for the person themselves (their own page), newest
    first: each view and unmasking of their records and of their cases, each list that named them
    (`residents_listed_event`), and each export of a list of their village or town (an export records
    its filters, not its people). Only the events of the bureaus that hold the person."""
    bureaus = set(Resident.objects.filter(pk__in=resident_ids).values_list("bureau_id", flat=True))
    ids = [str(pk) for pk in resident_ids]
    direct = Q(object_type="resident", object_id__in=ids) & ~Q(action=AuditEvent.Action.EXPORTED)
    if case_numbers:
        direct |= Q(object_type="case", object_id__in=case_numbers)
    exports = Q(action=AuditEvent.Action.EXPORTED) & (
        Q(detail__filters__village__in=village_codes) | Q(detail__filters__town__in=town_codes)
    )
    lists = Q(object_type="resident_list")
    if connection.vendor == "postgresql":  # a JSON array's containment is asked of PostgreSQL itself
        named = Q()
        for pk in resident_ids:
            named |= Q(detail__residents__contains=[pk])
        lists &= named
    events = (
        AuditEvent.objects.filter(bureau_id__in=bureaus)
        .filter(direct | exports | lists)
        .select_related("actor__bureau")
        .prefetch_related("actor__towns")
        .order_by("-created_at", "-id")
    )
    wanted = set(resident_ids)
    return [
        event
        for event in events
        if event.object_type != "resident_list" or wanted & set(event.detail.get("residents", []))
    ]
