"""What happens to offers once approved: they go out the way each person can be reached (a text
through the outbox, or a home task; linju/offers/services/channels.py).

`offers_approved` is the one hook approval calls, after its transaction has committed
(`transaction.on_commit`), with the ids of the offers it opened: a rolled-back approval sends nothing.
It is safe to call twice with the same ids (a retry: each offer records how it went out) and does not
raise for an id it no longer finds (withdrawn in between)."""

from __future__ import annotations

from linju.core.enqueue import enqueue

from ..tasks import bring_approved_offers, tell_granted_offers


def offers_approved(offer_ids: list[int]) -> None:
    """The offers just approved (status OPEN, `reach` decided) are handed to a job: their texts
    (unless it is 21:00–08:00, or the phone had its offer text today: then the 08:00 job sends them)
    and the home tasks of those a cadre brings. A queue that refuses the job loses nothing: the
    08:00 job brings every approved offer that has not gone out."""
    enqueue(bring_approved_offers, list(offer_ids), record=False)


def granted_offers_told(offer_ids: list[int]) -> None:
    """The offers just granted on the data (approval decided their cases) are handed to a job that
    tells each person what was granted and how to object (a text, or a home task). A queue that
    refuses the job loses nothing: the 08:00 job tells everyone not told yet."""
    enqueue(tell_granted_offers, list(offer_ids), record=False)
