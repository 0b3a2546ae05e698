"""What every outreach write checks first: the actor works in outreach."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linju.access.capabilities import require
from linju.access.scoping import cadres_serving

if TYPE_CHECKING:
    from linju.accounts.models import User


def _staff_only(actor: User) -> None:
    require(actor, "outreach.work")


def _cadre_of(town_id: int) -> User | None:
    """The town's cadre who gets its home tasks: the first who serves it."""
    return cadres_serving().filter(towns=town_id).order_by("pk").first()
