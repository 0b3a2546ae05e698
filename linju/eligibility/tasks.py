from huey.contrib.djhuey import db_task

from .models import DiscoveryRun
from .services import discovery_execute


@db_task()
def run_discovery(run_id: int) -> int:
    """Background discovery; the page shows the run's progress (rules done / total)."""
    return discovery_execute(run=DiscoveryRun.objects.get(pk=run_id)).hits
