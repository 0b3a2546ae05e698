"""Background jobs of outreach (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import booth_reminders_send


@db_periodic_task(crontab(hour="17", minute="0"))
def text_residents_the_day_before_a_booth() -> int:
    """At 17:00 (Asia/Shanghai), to those who asked: tomorrow's booths near their village."""
    return booth_reminders_send()
