"""Writes of each town's outreach rule (TownOutreach): whether its booth days are planned from the
market cycles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from linju.access.capabilities import require
from linju.access.scoping import served_town_ids

from .models import TownOutreach

if TYPE_CHECKING:
    from linju.accounts.models import User


# not durable: planning applies a proposal's towns inside the proposal's transaction (both or neither)
def towns_plan_booths_from_markets(*, actor: User, town_ids: Iterable[int]) -> None:
    """These towns plan their booth days from the market cycles (their rule created if missing):
    a planner's decision, for the towns they serve only."""
    require(actor, "plan.run")
    served = served_town_ids(actor)
    for town_id in town_ids:
        if town_id in served:
            TownOutreach.objects.update_or_create(town_id=town_id, defaults={"plans_booths": True})
