from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import PlanRun
from .services import plan_execute, plan_runs_fail_silent


@db_task()
def run_plan(run_id: int) -> str:
    """Long solves (a large area, the fast method with its bound) run in the background."""
    return plan_execute(run=PlanRun.objects.get(pk=run_id)).status


@db_periodic_task(crontab(minute="*/5"))
def fail_silent_runs() -> int:
    """Every five minutes: runs whose worker died are marked stopped (linju/core/heartbeat.py)."""
    return plan_runs_fail_silent()
