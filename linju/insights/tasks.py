from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from linju.core.enqueue import claim, requeue_waiting

from .models import ImportJob
from .services import import_execute, import_jobs_fail_silent


@db_task()
def run_import(job_id: int) -> str:
    """Background import; the page shows rows checked and saved as they go. Claimed first: a job
    queued twice (see `requeue_lost_imports`) runs once."""
    if not claim(ImportJob, job_id, waiting=ImportJob.Status.QUEUED, working=ImportJob.Status.CHECKING):
        return "taken"
    return import_execute(job=ImportJob.objects.get(pk=job_id)).status


@db_periodic_task(crontab(minute="*/5"))
def fail_silent_runs() -> int:
    """Every five minutes: runs whose worker died are marked stopped (linju/core/heartbeat.py)."""
    return import_jobs_fail_silent()


@db_periodic_task(crontab(minute="*"))
def requeue_lost_imports() -> int:
    """Every minute: imports still waiting after the grace (their job was never queued, or lost) are
    queued again (linju/core/enqueue.py)."""
    return requeue_waiting(ImportJob, waiting=ImportJob.Status.QUEUED, task=run_import)
