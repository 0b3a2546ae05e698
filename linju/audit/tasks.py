from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from linju.core.enqueue import requeue_waiting

from .chain import audit_seal, audit_verify_and_alert
from .exports import export_build, export_jobs_fail_silent, exports_expire
from .models import ExportJob


@db_task()
def build_export(job_id: int) -> str:
    """Build an export asked for on a page; the job's page shows when it is ready (claimed first:
    built once however often it is queued)."""
    return export_build(job_id=job_id).status


@db_periodic_task(crontab(minute="*/5"))
def exports_tidy() -> tuple[int, int]:
    """Every five minutes: exports whose worker died are failed; those older than a day deleted."""
    return export_jobs_fail_silent(), exports_expire()


@db_periodic_task(crontab(minute="*"))
def requeue_lost_exports() -> int:
    """Every minute: exports still waiting after the grace (their job was never queued, or lost) are
    queued again (linju/core/enqueue.py)."""
    return requeue_waiting(ExportJob, waiting=ExportJob.Status.QUEUED, task=build_export)


@db_periodic_task(crontab(minute="*"))
def seal_audit_events() -> int:
    """Every minute: the audit events not sealed yet join their bureau's chain (linju/audit/chain.py)."""
    return audit_seal()


@db_periodic_task(crontab(hour="2", minute="40"))
def check_audit_log() -> int:
    """At 02:40: the audit log's chains checked; a bureau whose log fails is shown to its staff and
    texted to its administrators. How many problems were found."""
    return len(audit_verify_and_alert())
