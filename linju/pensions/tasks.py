"""Background jobs of the retirement app (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import retirement_texts_send


@db_periodic_task(crontab(hour="9", minute="30"))
def text_residents_a_year_before_retiring() -> int:
    """Each day at 9:30 (Asia/Shanghai; texts are not sent at night): those whose retirement month is
    twelve months ahead, and anyone closer who has not had the text, get it, once per person."""
    return retirement_texts_send()
