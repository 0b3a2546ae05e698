from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import ImportJob
from .services import import_execute, import_jobs_fail_silent


@db_task()
def run_import(job_id: int) -> str:
    """Background import; the page shows rows checked and saved as they go."""
    return import_execute(job=ImportJob.objects.get(pk=job_id)).status


@db_periodic_task(crontab(minute="*/5"))
def fail_silent_runs() -> int:
    """Every five minutes: runs whose worker died are marked stopped (linju/core/heartbeat.py)."""
    return import_jobs_fail_silent()
