"""Background jobs of outreach (huey)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import booth_reminders_send, certification_by_data_run, certification_home_tasks


@db_periodic_task(crontab(hour="17", minute="0"))
def text_residents_the_day_before_a_booth() -> int:
    """At 17:00 (Asia/Shanghai), to those who asked: tomorrow's booths near their village."""
    return booth_reminders_send()


@db_periodic_task(crontab(hour="2", minute="30"))
def certify_pensioners_by_data() -> tuple[int, int]:
    """Each night: this year's pensioners with a sign of life are certified by data, then the home
    fingerprint visits of the rest who cannot travel are planned as their due dates come near (in
    that order, so nobody is visited whom the data certified). Answers (certified, visits planned)."""
    year = timezone.localdate().year
    run = certification_by_data_run(actor=None, year=year)
    return run.certified, certification_home_tasks(year=year)
