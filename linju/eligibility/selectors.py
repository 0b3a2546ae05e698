"""Facts as the rule engines want them: a dict for one person, columns for many. One mapping for both."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import numpy as np
from django.db.models import Q, QuerySet
from django.utils import timezone

from linju.core.scoping import scope_to_viewer
from linju.people.models import Resident

from .models import DiscoveryHit, DiscoveryRun, EligibilityRule
from .rules import FACTS, Column, column_of

if TYPE_CHECKING:
    from linju.accounts.models import User

# fact name -> the resident's field path
FIELD = {
    "birth_date": "birth_date",
    "household_size": "household__facts__household_size",
    "income_per_capita": "household__facts__income_per_capita",
    "subsistence_allowance": "household__facts__subsistence_allowance",
} | {
    name: f"facts__{name}"
    for name in FACTS
    if name not in ("birth_date", "household_size", "income_per_capita", "subsistence_allowance")
}
FACT_NAMES = list(FACTS)


def _clean(kind: str, value):
    if value == "" or value is None:
        return None
    return value


def facts_of(resident: Resident) -> dict:
    """One person's facts (None where unknown)."""
    row = Resident.objects.filter(pk=resident.pk).values_list(*[FIELD[n] for n in FACT_NAMES]).get()
    return {name: _clean(FACTS[name][0], value) for name, value in zip(FACT_NAMES, row, strict=True)}


def facts_columns(residents: QuerySet[Resident]) -> tuple[np.ndarray, np.ndarray, dict[str, Column]]:
    """(resident ids, village ids, columns) for many people, read in one query."""
    rows = list(residents.order_by("pk").values_list("pk", "village_id", *[FIELD[n] for n in FACT_NAMES]))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    villages = np.array([r[1] for r in rows], dtype=np.int64)
    columns = {
        name: column_of(FACTS[name][0], [_clean(FACTS[name][0], r[offset]) for r in rows])
        for offset, name in enumerate(FACT_NAMES, start=2)
    }
    return ids, villages, columns


def rules_in_force(on_date: datetime.date | None = None) -> QuerySet[EligibilityRule]:
    on_date = on_date or timezone.localdate()
    return (
        EligibilityRule.objects.filter(
            Q(valid_from__lte=on_date) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on_date)),
            item__valid_from__lte=on_date,
        )
        .filter(Q(item__valid_to__isnull=True) | Q(item__valid_to__gte=on_date))
        .select_related("item")
        .order_by("item__code")
    )


def latest_run(*, viewer: User) -> DiscoveryRun | None:
    return DiscoveryRun.objects.filter(status=DiscoveryRun.Status.DONE).order_by("-created_at").first()


def discovery_list(
    *, viewer: User, run: DiscoveryRun, village_code: str | None = None, item_code: str | None = None
) -> QuerySet[DiscoveryHit]:
    hits = scope_to_viewer(DiscoveryHit.objects.filter(run=run), viewer=viewer, town_path="village__town")
    if village_code:
        hits = hits.filter(village__code=village_code)
    if item_code:
        hits = hits.filter(item__code=item_code)
    return hits.select_related("resident", "item", "village__town").order_by(
        "village__code", "item__code", "resident__name_initials"
    )
