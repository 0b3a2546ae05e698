"""Background jobs (huey). Run the consumer with `manage.py run_huey`."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from linju.core.enqueue import enqueue

from .services import due_soon_reminders, intake_texts_resend, promised_dates_recompute


@db_periodic_task(crontab(hour="7", minute="30"))
def remind_staff_of_cases_due_soon() -> int:
    """Every morning at 7:30 (Asia/Shanghai), before the stations open."""
    return due_soon_reminders()


@db_periodic_task(crontab(minute="*/5"))
def resend_lost_intake_texts() -> int:
    """Every five minutes: the texts of the day's intakes that never went out are sent (once)."""
    return intake_texts_resend()


@db_task()
def recompute_promised_dates() -> int:
    return promised_dates_recompute()


def holidays_arrived(sender, years, **kwargs) -> None:
    """A holiday notice was imported: open cases whose promise was an estimate are worked out again,
    in the background (at once where huey runs immediately: tests, `make run`); written down and
    queued later when the queue does not answer."""
    enqueue(recompute_promised_dates)
