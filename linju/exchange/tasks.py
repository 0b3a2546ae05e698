"""Background job of the exchange (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .delivery import exchange_deliver


@db_periodic_task(crontab(minute="*"))
def deliver_to_outside_systems() -> dict:
    """Each minute: the outbox's messages whose time has come, to the province."""
    return exchange_deliver()
