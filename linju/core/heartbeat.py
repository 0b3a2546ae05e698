"""Background runs (discovery, imports, planning) that die: a worker killed mid-run leaves its run
"running" for ever. Each run's `updated_at` is its heartbeat (they save their progress as they go:
a rule, a batch of rows, a step of the solver); a run queued or running that has been silent for
SILENT_AFTER is marked failed with a message in plain words, and can be started again. The check
runs every few minutes (each app's periodic task) and before a run's page or a new run is shown."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

SILENT_AFTER = datetime.timedelta(minutes=15)  # longer than any step: the exact solver stops at 10


def silent_message() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(
            _(
                "Stopped: no sign of work for 15 minutes (the background worker may have been restarted). Start it again."
            )
        )


def fail_silent(model, *, waiting: list[str], failed: str, **fields) -> int:
    """Mark the runs of `model` in a `waiting` status and silent for SILENT_AFTER as `failed`, with
    `fields` (the message) set; how many."""
    now = timezone.now()
    return model.objects.filter(status__in=waiting, updated_at__lt=now - SILENT_AFTER).update(
        status=failed, updated_at=now, **fields
    )
