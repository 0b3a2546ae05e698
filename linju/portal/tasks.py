from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .cards import cards_ahead


@db_periodic_task(crontab(hour="0", minute="5"))
def town_cards_ahead() -> int:
    """Just after midnight: every town's card for the new day (it prints the date and the next market
    days), so that the first download of the day is served from storage."""
    return cards_ahead()
