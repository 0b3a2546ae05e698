"""Writes of each town's outreach rule (TownOutreach): whether its booth days are planned from the
market cycles."""

from __future__ import annotations

from collections.abc import Iterable

from .models import TownOutreach


def towns_plan_booths_from_markets(*, town_ids: Iterable[int]) -> None:
    """These towns plan their booth days from the market cycles (their rule created if missing)."""
    for town_id in town_ids:
        TownOutreach.objects.update_or_create(town_id=town_id, defaults={"plans_booths": True})
