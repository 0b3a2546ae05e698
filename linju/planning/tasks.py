from huey.contrib.djhuey import db_task

from .models import PlanRun
from .services import plan_execute


@db_task()
def run_plan(run_id: int) -> str:
    """Long solves (a large area, the fast method with its bound) run in the background."""
    return plan_execute(run=PlanRun.objects.get(pk=run_id)).status
