"""Spreadsheet imports: start one (stored, queued) and carry it out (the huey job)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require
from linju.core import heartbeat
from linju.core.errors import DomainError

from . import imports
from .models import ImportJob

if TYPE_CHECKING:
    from linju.accounts.models import User

MAX_BYTES = 30 * 1024 * 1024
STORED_ERRORS = 20_000
ZIP_MAGIC = b"PK\x03\x04"


def import_start(
    *, actor: User, kind: str, filename: str, content: bytes, partial: bool = False
) -> ImportJob:
    """Keep the file and queue the job. Leaders read figures; they do not load registers."""
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
    """Imports whose worker died (linju/core/heartbeat.py) are failed; nothing of theirs was saved
    (rows are written in one transaction at the end)."""
    return heartbeat.fail_silent(
        ImportJob,
        waiting=[ImportJob.Status.QUEUED, ImportJob.Status.CHECKING, ImportJob.Status.WRITING],
        failed=ImportJob.Status.FAILED,
        errors=[{"row": 0, "column": "", "value": "", "message": heartbeat.silent_message()}],
        error_count=1,
    )


def import_execute(*, job: ImportJob) -> ImportJob:
    """Check every row (progress saved as it goes), then write all of them in one transaction, or
    none when any row is bad (unless the job asked to save the good ones)."""
    with translation.override(job.language):
        return _execute(job)


def _save(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def _execute(job: ImportJob) -> ImportJob:
    actor = job.created_by
    try:
        with job.upload.open("rb") as stored:  # from the storage every server shares
            content = stored.read()
        _save(job, status=ImportJob.Status.CHECKING, rows_total=imports.count_rows(content))
        progress = lambda done: _save(job, rows_checked=done, rows_total=max(job.rows_total, done))  # noqa: E731
        if job.kind == ImportJob.Kind.RESIDENTS:
            outcome = imports.check_residents(actor, content, progress)
        else:
            outcome = imports.check_generic(job.kind, actor, content, progress)
        errors = [e.as_dict() for e in outcome.errors]
        _save(job, rows_total=outcome.total, rows_checked=outcome.total)
        if (errors and not job.partial) or not outcome.good_rows:
            return _finish(job, ImportJob.Status.REJECTED if errors else ImportJob.Status.DONE, errors)
        _save(job, status=ImportJob.Status.WRITING)
        written = lambda done: _save(job, rows_written=done)  # noqa: E731
        with transaction.atomic():
            if job.kind == ImportJob.Kind.RESIDENTS:
                late = imports.write_residents(outcome.good_rows, written)
            else:
                late = imports.write_generic(job.kind, outcome.good_rows, written)
            if late:
                transaction.set_rollback(True)
        if late:
            _save(job, rows_written=0)
            return _finish(
                job,
                ImportJob.Status.REJECTED,
                sorted(errors + [e.as_dict() for e in late], key=lambda e: e["row"]),
            )
        _save(job, rows_written=len(outcome.good_rows))
        return _finish(job, ImportJob.Status.DONE, errors)
    except imports.FileError as error:
        return _finish(
            job, ImportJob.Status.REJECTED, [{"row": 1, "column": "", "value": "", "message": error.text()}]
        )
    except Exception as error:
        _finish(
            job, ImportJob.Status.FAILED, [{"row": 0, "column": "", "value": "", "message": str(error)[:300]}]
        )
        raise


def _finish(job: ImportJob, status: str, errors: list[dict]) -> ImportJob:
    _save(
        job,
        status=status,
        errors=errors[:STORED_ERRORS],
        error_count=len(errors),
        finished_at=timezone.now(),
    )
    return job
