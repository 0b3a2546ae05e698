"""Spreadsheet exports, built by the huey workers into the shared file storage.

Each app registers what it exports (`register`, from its AppConfig.ready): a builder that reads
with the viewer's scope and records the export in the audit log, whether it holds personal data,
and a check of its filters. A page's export button starts a job (`export_start`: who may, and bad
filters, are answered at once, in plain words); a worker builds it (`export_build`: claimed once,
so two workers never build the same job); the one who asked downloads it from the job's page.
Files are kept a day (`exports_expire`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require_personal_export
from linju.core import heartbeat
from linju.core.errors import DomainError, NotFound
from linju.core.request_context import RequestContext

from .models import ExportJob

if TYPE_CHECKING:
    from linju.accounts.models import User

KEEP = datetime.timedelta(hours=24)
MAX_PARAMS, MAX_PARAM_CHARS = 12, 40


@dataclass(frozen=True)
class Export:
    build: Callable[[User, dict, RequestContext], tuple[bytes, int]]
    personal: bool
    stem: str  # the file's name, before the date
    check: Callable[[dict], None] | None = None  # raises DomainError for filters it cannot take


_EXPORTS: dict[str, Export] = {}


def register(kind: str, *, build, personal: bool, stem: str, check=None) -> None:
    _EXPORTS[kind] = Export(build=build, personal=personal, stem=stem, check=check)


def export_start(*, viewer: User, kind: str, params: dict, context: RequestContext) -> ExportJob:
    """Queue an export of what the viewer sees; the caller hands the job to a worker."""
    export = _EXPORTS.get(kind)
    if export is None:
        raise NotFound(_("No such list."))
    if export.personal:
        require_personal_export(viewer)
    params = {
        str(key)[:20]: str(value)[:MAX_PARAM_CHARS]
        for key, value in list(params.items())[:MAX_PARAMS]
        if value
    }
    if export.check:
        export.check(params)
    return ExportJob.objects.create(
        bureau_id=viewer.bureau_id,
        requested_by=viewer,
        kind=kind,
        params=params,
        context=asdict(context),
        language=translation.get_language() or "zh-hans",
    )


def export_build(*, job_id: int) -> ExportJob:
    """Build the workbook and keep it in the storage. A job is claimed before it is built (one
    UPDATE from queued), so a job handed to two workers, or retried, is built once."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.BUILDING, updated_at=timezone.now()
    )
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    if not claimed:
        return job
    export = _EXPORTS[job.kind]
    with translation.override(job.language):
        try:
            content, count = export.build(job.requested_by, job.params, RequestContext(**job.context))
        except DomainError as error:  # refused when built (the viewer's towns changed, say)
            job.status, job.error = ExportJob.Status.FAILED, error.text()[:300]
            job.save(update_fields=["status", "error", "updated_at"])
            return job
        except Exception:
            job.status, job.error = ExportJob.Status.FAILED, str(_("The export failed. Please try again."))
            job.save(update_fields=["status", "error", "updated_at"])
            raise
        job.filename = f"{export.stem}-{timezone.localdate():%Y%m%d}.xlsx"
    job.file.save(job.filename, ContentFile(content), save=False)
    job.rows, job.status, job.finished_at = count, ExportJob.Status.DONE, timezone.now()
    job.save(update_fields=["file", "filename", "rows", "status", "finished_at", "updated_at"])
    return job


def export_jobs_fail_silent() -> int:
    """Exports whose worker died (linju/core/heartbeat.py) are failed, with a message for the page."""
    return heartbeat.fail_silent(
        ExportJob,
        waiting=[ExportJob.Status.QUEUED, ExportJob.Status.BUILDING],
        failed=ExportJob.Status.FAILED,
        error=heartbeat.silent_message()[:300],
    )


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Exports older than a day are deleted with their files: personal data does not lie about."""
    old = ExportJob.objects.filter(created_at__lt=(now or timezone.now()) - KEEP)
    count = 0
    for job in old.iterator():
        with transaction.atomic():
            if job.file:
                job.file.delete(save=False)
            job.delete()
            count += 1
    return count
