from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from linju.core.enqueue import enqueue, requeue_waiting

from .models import ImportJob
from .services import import_execute, import_jobs_fail_silent, import_jobs_retake_stalled


@db_task()
def run_import(job_id: int) -> str:
    """Background import; the page shows rows checked and saved as they go. `import_execute` takes
    the job from "queued" first: a job queued twice (see `requeue_lost_imports`) runs once."""
    return import_execute(job=ImportJob.objects.get(pk=job_id)).status


@db_periodic_task(crontab(minute="*/5"))
def fail_silent_runs() -> int:
    """Every five minutes: imports queued and never taken are marked stopped (linju/core/heartbeat.py)."""
    return import_jobs_fail_silent()


@db_periodic_task(crontab(minute="*"))
def requeue_lost_imports() -> int:
    """Every minute: imports still waiting after the grace (their job was never queued, or lost) are
    queued again (linju/core/enqueue.py)."""
    return requeue_waiting(ImportJob, waiting=ImportJob.Status.QUEUED, task=run_import)


def retake_stalled() -> list[int]:
    """Imports whose worker died while running them, sent again to a worker (once each)."""
    again = import_jobs_retake_stalled()
    for job_id in again:  # back in "queued": a refusal of the queue leaves it to requeue_lost_imports
        enqueue(run_import, job_id, record=False)
    return again


@db_periodic_task(crontab(minute="*"))
def retake_stalled_imports() -> list[int]:
    """Every minute: an import whose worker died in the middle (silent past STALLED_AFTER) is run
    again from the start by whichever worker takes it; the second time, it is failed in words."""
    return retake_stalled()
