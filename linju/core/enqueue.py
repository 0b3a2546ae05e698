"""Handing jobs to the queue (huey) so that a queue that does not answer loses no work and fails no
request.

Queuing is a call to Redis (or the SQLite queue file) and can fail on its own while the database
works. What a request has committed stays committed, so queuing after a commit never raises into the
request and never stops the other callbacks of that commit: `on_commit_enqueue` queues each job in a
callback of its own, and `enqueue` logs a refusal instead of raising it.

What could not be queued is picked up later, by one of two sweeps:

- A job with a row of its own (an export, an import, a discovery run, a solve) is found by its row:
  `requeue_waiting` queues again every row still "queued" after `GRACE` (its first hand-over was
  lost, or its worker lost it). Such jobs claim their row before they work (`claim`: one UPDATE from
  "queued"), so a job handed over twice runs once. Rows that stay silent far longer are failed by
  linju/core/heartbeat.py, with a message saying to start them again.
- Any other job (a paper built ahead, a recomputation) is written down as a `PendingTask` when it
  cannot be queued, and `pending_tasks_retry` (a periodic job) queues it when the queue answers again.
  Writing it down costs nothing while the queue works.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import PendingTask

logger = logging.getLogger("linju.queue")

GRACE = datetime.timedelta(minutes=2)  # a row still "queued" this long after its last change lost its job
RETRY_BATCH = 500  # pending tasks queued again per sweep


def task_path(task) -> str:
    """The dotted path a task is imported by (huey's task wrappers keep the function they wrap)."""
    func = getattr(task, "func", task)
    return f"{func.__module__}.{func.__name__}"


def enqueue(task, *args: Any, record: bool = True, **kwargs: Any) -> bool:
    """Queue `task(*args, **kwargs)`; False, logged (and written down as a `PendingTask` unless
    `record` is False: the job has a row of its own that says it waits), when the queue refused it."""
    try:
        task(*args, **kwargs)
    except Exception:
        logger.warning("Could not queue %s%r: left for the sweep", task_path(task), args, exc_info=True)
        if record:
            _write_down(task_path(task), args, kwargs)
        return False
    return True


def on_commit_enqueue(task, *args: Any, **kwargs: Any) -> None:
    """Queue the task once the transaction commits, in a callback of its own that never raises: the
    commit's other callbacks (texts, other jobs) run whatever becomes of this one."""
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


def _write_down(path: str, args: tuple, kwargs: dict) -> None:
    try:
        PendingTask.objects.create(task=path, args=list(args), kwargs=kwargs)
    except Exception:  # the database is down as well: nothing more can be kept, say so
        logger.error("Could not write down %s%r either: it is lost", path, args, exc_info=True)


def pending_tasks_retry() -> int:
    """Queue again what could not be queued (oldest first); how many were queued. Stops at the first
    refusal: the queue is still down, the rest waits for the next sweep."""
    queued = 0
    for pending in PendingTask.objects.order_by("pk")[:RETRY_BATCH]:
        try:
            task = import_string(pending.task)
        except ImportError:
            logger.error("Pending task %s names no task: dropped", pending.task)
            pending.delete()
            continue
        try:
            task(*pending.args, **pending.kwargs)
        except Exception:
            logger.warning("The queue still refuses %s: kept for the next sweep", pending.task, exc_info=True)
            PendingTask.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1)
            break
        pending.delete()
        queued += 1
    return queued


def claim(model, pk: int, *, waiting: str, working: str) -> bool:
    """Take a job's row from `waiting` to `working` in one UPDATE: True for the one caller that did.
    A job queued twice (the sweep's copy and a late original) works once."""
    return bool(model.objects.filter(pk=pk, status=waiting).update(status=working, updated_at=timezone.now()))


def requeue_waiting(model, *, waiting: str, task, grace: datetime.timedelta = GRACE) -> int:
    """Queue `task(pk)` again for each row of `model` still `waiting` `grace` after its last change;
    how many were queued. Stops at the first refusal (the queue is down: the next sweep tries)."""
    queued = 0
    late = model.objects.filter(status=waiting, updated_at__lt=timezone.now() - grace)
    for pk in late.order_by("pk").values_list("pk", flat=True)[:RETRY_BATCH]:
        if not enqueue(task, pk, record=False):
            break
        queued += 1
    if queued:
        logger.warning("%s: %d rows waiting past %s queued again", model.__name__, queued, grace)
    return queued
