"""Facts as the rule engines want them: a dict for one person, columns for many. One mapping for both."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from linju.core.pgcopy import copy_out
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
    if connection.vendor == "postgresql":
        return _facts_columns_copy(residents)
    rows = list(residents.order_by("pk").values_list("pk", "village_id", *[FIELD[n] for n in FACT_NAMES]))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    villages = np.array([r[1] for r in rows], dtype=np.int64)
    columns = {
        name: column_of(FACTS[name][0], [_clean(FACTS[name][0], r[offset]) for r in rows])
        for offset, name in enumerate(FACT_NAMES, start=2)
    }
    return ids, villages, columns


# With no NULLs and fixed-width types, numpy reads a million rows of a binary COPY in one step
# instead of building a million Python tuples (the ORM path costs about 5 s at 1,000,000).
SQL_OF_KIND = {  # (value expression over column c, its binary type, numpy type for the result)
    "date": ("coalesce({c} - DATE '1970-01-01', 0)::int4", ">i4", np.int64),
    "number": ("coalesce({c}, 0)::float8", ">f8", np.float64),
    "bool": ("coalesce({c}, false)", "?", bool),
    "str": ("coalesce(array_position(%s::text[], {c}::text), 0)::int4", ">i4", None),
}


def _facts_columns_copy(residents: QuerySet[Resident]):
    """facts_columns on PostgreSQL: one `COPY (SELECT …) TO STDOUT (FORMAT binary)` of the
    needed columns, NULLs folded into one bitmask of known facts, strings sent as codes."""
    from django.contrib.postgres.aggregates import ArrayAgg

    from .models import ResidentFacts

    texts = [n for n in FACT_NAMES if FACTS[n][0] == "str"]
    vocabulary = ResidentFacts.objects.aggregate(
        **{n: ArrayAgg(FIELD[n].removeprefix("facts__"), distinct=True, default=[]) for n in texts}
    )
    inner, params = (
        residents.order_by()
        .values_list("pk", "village_id", *[FIELD[n] for n in FACT_NAMES])
        .query.sql_with_params()
    )
    names = [f"c{i}" for i in range(len(FACT_NAMES))]
    select, select_params, layout = ["c_id::int8", "c_village::int8"], [], [("id", ">i8"), ("village", ">i8")]
    known_bits = []
    for bit, (name, column) in enumerate(zip(FACT_NAMES, names, strict=True)):
        kind = FACTS[name][0]
        expression, wire, _numpy = SQL_OF_KIND[kind]
        select.append(expression.format(c=column))
        if kind == "str":
            select_params.append([v for v in vocabulary[name] if v])
        layout.append((name, wire))
        blank = f" AND {column}::text <> ''" if kind == "str" else ""
        known_bits.append(f"(({column} IS NOT NULL{blank})::int4 << {bit})")
    select.append(" | ".join(known_bits))
    layout.append(("known", ">i4"))
    rows = copy_out(
        f"SELECT {', '.join(select)} FROM ({inner}) AS q(c_id, c_village, {', '.join(names)})",
        [*select_params, *params],
        layout,
    )
    known = rows["known"].astype(np.int64)
    columns = {}
    for bit, name in enumerate(FACT_NAMES):
        kind = FACTS[name][0]
        mask = (known >> bit & 1).astype(bool)
        if kind == "str":
            words = np.array(["", *[v for v in vocabulary[name] if v]], dtype=str)
            columns[name] = Column(words[rows[name].astype(np.int64)], mask)
        else:
            columns[name] = Column(rows[name].astype(SQL_OF_KIND[kind][2]), mask)
    return rows["id"].astype(np.int64), rows["village"].astype(np.int64), columns


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
