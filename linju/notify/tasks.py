"""Background jobs of the texts (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .sms import sms_send_again


@db_periodic_task(crontab(minute="*"))
def send_texts_again() -> int:
    """Each minute: the texts a busy or unreachable gateway did not take, whose time has come."""
    return sms_send_again()
