from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import referral_follow_up_reminders


@db_periodic_task(crontab(hour="8", minute="0"))
def remind_referral_follow_ups() -> int:
    """Every morning at 8:00: referrals whose follow-up day has come."""
    return referral_follow_up_reminders()
