"""Spreadsheet imports: start one (stored, queued) and carry it out (the huey job)."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core import heartbeat
from linju.core.errors import DomainError
from linju.core.xlsx import WorkbookError, workbook_glance

from . import imports, workbook_rows
from .models import ImportJob

if TYPE_CHECKING:
    from linju.accounts.models import User

logger = logging.getLogger(__name__)

MAX_BYTES = 30 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"
# A running import saves its progress every batch of rows (a few seconds): silent this long, its
# worker is taken for dead and the job is run again, once (MAX_ATTEMPTS runs in all).
STALLED_AFTER = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 2


def import_start(
    *, actor: User, kind: str, filename: str, content: bytes, partial: bool = False
) -> ImportJob:
    """Keep the file and queue the job. Leaders read figures; they do not load registers. The job's
    row in a durable transaction of its own: the page queues the job once it has returned, so after
    the row is committed."""
    require(actor, "import.run")
    if kind not in ImportJob.Kind.values:
        raise DomainError(_("Choose what the spreadsheet holds."), field="kind")
    if not content:
        raise DomainError(_("The file is empty."), field="file")
    if len(content) > MAX_BYTES:
        raise DomainError(_("A file may be at most 30 MB."), field="file")
    if not content.startswith(ZIP_MAGIC) or not filename.lower().endswith(".xlsx"):
        raise DomainError(
            _("Only Excel workbooks (.xlsx) can be imported. In Excel or WPS choose Save as → .xlsx."),
            field="file",
        )
    if actor.bureau_id is None:
        raise DomainError(_("Your account belongs to no bureau: a spreadsheet is imported into one."))
    try:  # the zip's own directory: a part that would unpack too far is refused now, in words
        workbook_glance(content)
    except WorkbookError as error:
        error.field = "file"
        raise
    with transaction.atomic(durable=True):
        return ImportJob.objects.create(
            bureau_id=actor.bureau_id,
            kind=kind,
            created_by=actor,
            filename=filename[-200:],
            upload=ContentFile(content, name="upload.xlsx"),
            partial=partial,
            language=translation.get_language() or "zh-hans",
        )


def import_jobs_fail_silent() -> int:
    """Imports queued and never taken (their worker message lost) are failed after
    linju/core/heartbeat.py's silence; running ones whose worker died are taken again instead
    (`import_jobs_retake_stalled`). No transaction: one UPDATE, from a periodic sweep and the page."""
    return heartbeat.fail_silent(
        ImportJob,
        waiting=[ImportJob.Status.QUEUED],
        failed=ImportJob.Status.FAILED,
        errors=[{"row": 0, "column": "", "value": "", "message": heartbeat.silent_message()}],
        error_count=1,
    )


def import_jobs_retake_stalled() -> list[int]:
    """Running imports whose worker has said nothing for STALLED_AFTER (each batch of rows saves
    the progress, the job's heartbeat): the first time, queued again to be run from the start by
    whichever worker takes it (nothing of a run is saved before its last transaction, so a
    second run writes each row once); the second time, failed in plain words. Returns the ids
    queued again, for the caller to send to a worker.

    Decided by the database: each stalled job is locked and moved in one transaction, skipping a
    row a live worker holds (its saving transaction), so two sweeps take a job again once. That
    transaction is durable: the ids are queued by the caller once it has returned."""
    now = timezone.now()
    stalled = ImportJob.objects.filter(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.WRITING],
        updated_at__lt=now - STALLED_AFTER,
    )
    if not stalled.exists():  # the usual answer, in one query (a page asks it before it is shown)
        return []
    again = []
    with transaction.atomic(durable=True):
        locked = stalled.select_for_update(skip_locked=True).values_list("pk", "attempts", "language")
        for pk, attempts, language in list(locked):
            job = ImportJob.objects.filter(pk=pk)
            if attempts < MAX_ATTEMPTS:
                job.update(status=ImportJob.Status.QUEUED, updated_at=now)
                again.append(pk)
            else:
                job.update(
                    status=ImportJob.Status.FAILED,
                    errors=[{"row": 0, "column": "", "value": "", "message": _stalled_twice(language)}],
                    error_count=1,
                    finished_at=now,
                    updated_at=now,
                )
    return again


def _stalled_twice(language: str) -> str:
    """In the language of the one who sent the file, as the job's other messages."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return str(
            _(
                "Stopped: the background worker stopped twice while importing this file, and nothing "
                "of it was saved. Import it again; if it stops again, tell the administrator."
            )
        )


class LeaseLost(Exception):
    """This worker's run of a job was given up (it fell silent) and the job taken again: it stops
    here and writes nothing."""


def import_execute(*, job: ImportJob) -> ImportJob:
    """Check every row (progress saved as it goes), then write all of them in one transaction, or
    none when any row is bad (unless the job asked to save the good ones). Not one transaction: the
    huey job commits its progress every batch of rows (its heartbeat); the rows are written in one
    durable transaction at the end.

    Only the worker that takes the job from "queued" runs it; the same job sent twice runs once."""
    with translation.override(job.language):
        taken = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
            status=ImportJob.Status.CHECKING,
            attempts=F("attempts") + 1,
            rows_total=0,
            rows_checked=0,
            rows_written=0,
            errors=[],
            error_count=0,
            updated_at=timezone.now(),
        )
        job.refresh_from_db()
        if not taken:
            return job
        try:
            return _execute(job, job.attempts)
        except LeaseLost:
            job.refresh_from_db()
            return job


def _save(job: ImportJob, attempt: int, **fields) -> None:
    """Save progress (the heartbeat), as long as this run is still the job's latest."""
    saved = ImportJob.objects.filter(
        pk=job.pk,
        attempts=attempt,
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.WRITING],
    ).update(**fields, updated_at=timezone.now())
    if not saved:
        raise LeaseLost
    for name, value in fields.items():
        setattr(job, name, value)


def _execute(job: ImportJob, attempt: int) -> ImportJob:
    actor = job.created_by
    try:
        with job.upload.open("rb") as stored:  # from the storage every server shares
            content = stored.read()
        # every cell measured before openpyxl reads the file; the rows counted, so the page can say
        # how far the check is from the start
        _save(job, attempt, rows_total=workbook_rows.survey(content))
        progress = lambda done: _save(job, attempt, rows_checked=done)  # noqa: E731
        if job.kind == ImportJob.Kind.RESIDENTS:
            outcome = imports.check_residents(actor, content, progress)
        else:
            outcome = imports.check_generic(job.kind, actor, content, progress)
        errors = outcome.errors
        _save(job, attempt, rows_total=outcome.total, rows_checked=outcome.total)
        if (errors and not job.partial) or not outcome.good_rows:
            status = ImportJob.Status.REJECTED if errors else ImportJob.Status.DONE
            return _finish(job, attempt, status, errors)
        _save(job, attempt, status=ImportJob.Status.WRITING)
        written = lambda done: _save(job, attempt, rows_written=done)  # noqa: E731
        with transaction.atomic(durable=True):
            # the job's row held to the end: a sweep skips it while this worker lives, and the rows
            # and "saved" are committed together, or neither
            if not ImportJob.objects.select_for_update().filter(pk=job.pk, attempts=attempt).exists():
                raise LeaseLost
            if job.kind == ImportJob.Kind.RESIDENTS:
                late = imports.write_residents(outcome.good_rows, written)
            else:
                late = imports.write_generic(job.kind, outcome.good_rows, written)
            if late:
                transaction.set_rollback(True)
            else:
                _save(job, attempt, rows_written=len(outcome.good_rows))
                _finish(job, attempt, ImportJob.Status.DONE, errors)
        if late:
            _save(job, attempt, rows_written=0)
            both = workbook_rows.RowErrors()
            both.extend(sorted([*errors.kept, *late.kept], key=lambda e: e.row))
            both.count = errors.count + late.count
            return _finish(job, attempt, ImportJob.Status.REJECTED, both)
        return job
    except LeaseLost:
        raise
    except WorkbookError as error:
        refused = workbook_rows.RowErrors()
        refused.append(workbook_rows.RowError(1, "", "", error.text()))
        return _finish(job, attempt, ImportJob.Status.REJECTED, refused)
    except Exception:
        logger.exception("import %s failed", job.pk)
        failed = workbook_rows.RowErrors()
        failed.append(
            workbook_rows.RowError(
                0,
                "",
                "",
                str(
                    _(
                        "The import stopped on an error in Linju, not in your file; nothing was saved. "
                        "Try again later; if it happens again, tell the administrator (import %(id)d)."
                    )
                    % {"id": job.pk}
                ),
            )
        )
        try:
            _finish(job, attempt, ImportJob.Status.FAILED, failed)
        except LeaseLost:
            pass
        raise


def _finish(job: ImportJob, attempt: int, status: str, errors: workbook_rows.RowErrors) -> ImportJob:
    _save(
        job,
        attempt,
        status=status,
        errors=[e.as_dict() for e in errors.kept],
        error_count=errors.count,
        finished_at=timezone.now(),
    )
    return job
