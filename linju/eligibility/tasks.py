from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .models import DiscoveryRun
from .services import discovery_execute, discovery_runs_fail_silent


@db_task()
def run_discovery(run_id: int) -> int:
    """Background discovery; the page shows the run's progress (rules done / total)."""
    return discovery_execute(run=DiscoveryRun.objects.get(pk=run_id)).hits


@db_periodic_task(crontab(minute="*/5"))
def fail_silent_runs() -> int:
    """Every five minutes: runs whose worker died are marked stopped (linju/core/heartbeat.py)."""
    return discovery_runs_fail_silent()
