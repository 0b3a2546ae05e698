"""Handing the day's data to a phone: it names people (the cadre's home visits, the residents of
the villages visited, the people offered an item there), so each hand-over is recorded in the audit
log like an export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from linju.access.capabilities import require_personal_export
from linju.audit.events import residents_exported_event
from linju.core.request_context import RequestContext

from .selectors import field_bundle

if TYPE_CHECKING:
    from linju.accounts.models import User


@transaction.atomic
def field_bundle_hand_over(*, viewer: User, context: RequestContext) -> dict:
    bundle = field_bundle(viewer=viewer)
    people = len(bundle["residents"]) + len(bundle["home_tasks"]) + len(bundle["offers"])
    if people:
        require_personal_export(viewer)
        residents_exported_event(
            actor=viewer,
            count=people,
            filters={"field_app": bundle["date"], "version": bundle["version"]},
            file_format="field",
            context=context,
        )
    return bundle
