from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from linju.core.enqueue import claim, requeue_waiting

from .models import DiscoveryRun
from .services import discovery_execute, discovery_runs_fail_silent


@db_task()
def run_discovery(run_id: int) -> int:
    """Background discovery; the page shows the run's progress (rules done / total). Claimed first:
    a run queued twice (see `requeue_lost_runs`) runs once."""
    if not claim(
        DiscoveryRun, run_id, waiting=DiscoveryRun.Status.QUEUED, working=DiscoveryRun.Status.RUNNING
    ):
        return 0
    return discovery_execute(run=DiscoveryRun.objects.get(pk=run_id)).hits


@db_periodic_task(crontab(minute="*/5"))
def fail_silent_runs() -> int:
    """Every five minutes: runs whose worker died are marked stopped (linju/core/heartbeat.py)."""
    return discovery_runs_fail_silent()


@db_periodic_task(crontab(minute="*"))
def requeue_lost_runs() -> int:
    """Every minute: runs still waiting after the grace (their job was never queued, or lost) are
    queued again (linju/core/enqueue.py)."""
    return requeue_waiting(DiscoveryRun, waiting=DiscoveryRun.Status.QUEUED, task=run_discovery)
