"""Background jobs (huey). Run the consumer with `manage.py run_huey`."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import due_soon_reminders


@db_periodic_task(crontab(hour="7", minute="30"))
def remind_staff_of_cases_due_soon() -> int:
    """Every morning at 7:30 (Asia/Shanghai), before the stations open."""
    return due_soon_reminders()
