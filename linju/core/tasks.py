from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .enqueue import pending_tasks_retry
from .pdf import paper_store


@db_task(retries=1, retry_delay=5)
def build_paper(kind: str, key: str, language: str) -> str | None:
    """Render one paper's PDF into storage (see linju.core.pdf); the page asking for it shows it
    when it is there."""
    return paper_store(kind, key, language)


@db_periodic_task(crontab(minute="*"))
def queue_pending_tasks() -> int:
    """Every minute: the jobs the queue refused after their commit are queued again
    (linju/core/enqueue.py); one query when there are none."""
    return pending_tasks_retry()
