"""Background jobs of offers (huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services.channels import offers_bring
from .services.granting import granted_bring
from .services.no_answer import offers_follow_up
from .services.reruns import offers_rerun_edited_rules


@db_task()
def bring_approved_offers(offer_ids: list[int]) -> int:
    """Just approved: their texts (unless it is quiet hours, or the phone had its text today) and
    the home tasks of those a cadre brings. How many texts went."""
    return offers_bring(offer_ids=offer_ids).texted


@db_task()
def tell_granted_offers(offer_ids: list[int]) -> int:
    """Just granted on the data: the texts saying what was granted and how to object (unless it is
    quiet hours, or the phone had its text today), and the home tasks of those a cadre tells. How
    many texts went."""
    return granted_bring(offer_ids=offer_ids).texted


@db_periodic_task(crontab(hour="8", minute="0"))
def offers_at_eight() -> int:
    """Each day at 08:00 (Asia/Shanghai): the texts that waited (for the night, or for their phone's
    next day), the grants' notices that waited, then the reminders and ends of offers with no answer.
    How many texts went."""
    brought = offers_bring()
    told = granted_bring()
    followed = offers_follow_up()
    return brought.texted + told.texted + followed.reminded


@db_periodic_task(crontab(hour="2", minute="30"))
def rerun_edited_rules() -> int:
    """Each night at 02:30: discovery again for the bureaus of offered rules edited during the day,
    and the offers no longer matched withdrawn quietly. How many were withdrawn."""
    return offers_rerun_edited_rules().withdrawn
