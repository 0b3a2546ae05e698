from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from linju.access.capabilities import require
from linju.access.roles import is_platform_admin

from .models import Message

if TYPE_CHECKING:
    from linju.accounts.models import User


def dead_letter_list(*, viewer: User) -> QuerySet[Message]:
    """The messages given up (refused by the target, or never received after the last attempt), the
    newest first, of the viewer's bureau (every bureau's for an administrator of the installation)."""
    require(viewer, "exchange.read")
    messages = Message.objects.filter(status=Message.Status.DEAD)
    if not is_platform_admin(viewer):
        messages = messages.filter(bureau_id=viewer.bureau_id)
    return messages.order_by("-created_at", "-id")


def waiting_count(*, viewer: User) -> int:
    require(viewer, "exchange.read")
    messages = Message.objects.filter(status=Message.Status.WAITING)
    if not is_platform_admin(viewer):
        messages = messages.filter(bureau_id=viewer.bureau_id)
    return messages.count()
