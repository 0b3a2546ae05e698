"""What happens to offers once approved: they go out the way each person can be reached (a text
through the outbox, or a home task) — filled in by the sending side.

`offers_approved` is the one hook approval calls, after its transaction has committed
(`transaction.on_commit`), with the ids of the offers it opened: a rolled-back approval sends nothing.
It must be safe to call twice with the same ids (a retry) and must not raise for an id it no longer
finds (withdrawn in between)."""

from __future__ import annotations


def offers_approved(offer_ids: list[int]) -> None:
    """The offers just approved (status OPEN, `reach` decided). Nothing is sent yet: a no-op until
    the sending (texts, home tasks) is written here."""
    return None
