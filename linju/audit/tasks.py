from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .exports import export_build, export_jobs_fail_silent, exports_expire


@db_task()
def build_export(job_id: int) -> str:
    """Build an export asked for on a page; the job's page shows when it is ready."""
    return export_build(job_id=job_id).status


@db_periodic_task(crontab(minute="*/5"))
def exports_tidy() -> tuple[int, int]:
    """Every five minutes: exports whose worker died are failed; those older than a day deleted."""
    return export_jobs_fail_silent(), exports_expire()
