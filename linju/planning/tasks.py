from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from linju.core.enqueue import claim, requeue_waiting

from .models import PlanRun
from .services import plan_execute, plan_runs_fail_silent


@db_task()
def run_plan(run_id: int) -> str:
    """Long solves (a large area, the fast method with its bound) run in the background. Claimed
    first: a solve queued twice (see `requeue_lost_runs`) runs once."""
    if not claim(PlanRun, run_id, waiting=PlanRun.Status.QUEUED, working=PlanRun.Status.RUNNING):
        return "taken"
    return plan_execute(run=PlanRun.objects.get(pk=run_id)).status


@db_periodic_task(crontab(minute="*/5"))
def fail_silent_runs() -> int:
    """Every five minutes: runs whose worker died are marked stopped (linju/core/heartbeat.py)."""
    return plan_runs_fail_silent()


@db_periodic_task(crontab(minute="*"))
def requeue_lost_runs() -> int:
    """Every minute: solves still waiting after the grace (their job was never queued, or lost) are
    queued again (linju/core/enqueue.py)."""
    return requeue_waiting(PlanRun, waiting=PlanRun.Status.QUEUED, task=run_plan)
