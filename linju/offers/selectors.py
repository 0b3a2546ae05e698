"""Reads of offers' channels, always given the viewer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from linju.access.capabilities import require

from .models import TextReply

if TYPE_CHECKING:
    from linju.accounts.models import User

INBOX_LENGTH = 100  # the newest unread first; reading them brings up the next


def texts_to_read(*, viewer: User) -> QuerySet[TextReply]:
    """Texts residents of the viewer's towns sent back that no one has read yet (not an answer,
    not a stop), newest first."""
    require(viewer, "outreach.work")
    return (
        TextReply.objects.visible_to(viewer)
        .filter(kind=TextReply.Kind.TO_READ, read_at__isnull=True)
        .select_related("resident", "village__town", "offer__item")
        .order_by("-created_at", "-id")
    )
