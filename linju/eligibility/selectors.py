"""Facts as the rule engines want them: a dict for one person, columns for many. One mapping for both."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from linju.catalog.models import ServiceItem
from linju.core.pgcopy import copy_out
from linju.core.scoping import scope_to_viewer
from linju.geo.models import Village
from linju.people.models import Resident

from .models import DiscoveryList, DiscoveryRun, EligibilityRule
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
    if connection.vendor == "postgresql" and not residents.query.is_empty():
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


def _vocabulary(name: str) -> list[str]:
    """A text fact's words, from its model choices (the database holds nothing else)."""
    from .models import ResidentFacts

    return list(
        ResidentFacts._meta.get_field(name).choices and dict(ResidentFacts._meta.get_field(name).choices)
    )


def _table_read(sql: str, params: list, key: str, names: list[str]) -> tuple[str, list, list]:
    """The binary COPY that reads one table's facts: (select, params, layout) for copy_out."""
    select = [f"{key}::int8"]
    layout = [("key", ">i8")]
    select_params: list = []
    known_bits = []
    for bit, name in enumerate(names):
        kind = FACTS[name][0]
        expression, wire, _numpy = SQL_OF_KIND[kind]
        select.append(expression.format(c=name))
        if kind == "str":
            select_params.append(_vocabulary(name))
        layout.append((name, wire))
        blank = f" AND {name}::text <> ''" if kind == "str" else ""
        known_bits.append(f"(({name} IS NOT NULL{blank})::int4 << {bit})")
    select.append(" | ".join(known_bits) if known_bits else "0")
    layout.append(("known", ">i4"))
    return f"SELECT {', '.join(select)} FROM ({sql}) AS t", [*select_params, *params], layout


def _copy_out_in_thread(select: str, params: list, layout: list) -> dict:
    try:
        return copy_out(select, params, layout)
    finally:
        connection.close()  # this thread's own connection


def _read_all(reads: list[tuple[str, list, list]]) -> list[dict]:
    """Run the reads, on one connection each at the same time when nothing uncommitted must be seen
    (PostgreSQL works each on its own core); inside a transaction, one after the other on its own."""
    if connection.in_atomic_block:
        return [copy_out(*read) for read in reads]
    with ThreadPoolExecutor(max_workers=len(reads)) as pool:
        return list(pool.map(lambda read: _copy_out_in_thread(*read), reads))


def _join_parts(results: list[dict], counts: list[int]) -> list[dict]:
    """Put back together the columns of a table read in several parts."""
    joined, start = [], 0
    for count in counts:
        parts = results[start : start + count]
        joined.append({name: np.concatenate([p[name] for p in parts]) for name in parts[0]})
        start += count
    return joined


def _facts_columns_copy(residents: QuerySet[Resident]):
    """facts_columns on PostgreSQL without joining a million rows to a million: the people, their
    facts and their households' facts are read apart (each one binary COPY of the needed columns,
    NULLs folded into a bitmask, text sent as codes of its choices; at the same time, on separate
    connections, when not inside a transaction), then lined up in numpy."""
    from .models import HouseholdFacts, ResidentFacts

    whole = not residents.query.where  # the whole registry: no need to narrow the facts by person
    sql, params = (
        residents.order_by()
        .values_list("pk", "village_id", "household_id", "birth_date")
        .query.sql_with_params()
    )
    reads = [
        (
            "SELECT c0::int8, c1::int8, coalesce(c2, 0)::int8, coalesce(c3 - DATE '1970-01-01', 0)::int4,"
            f" c3 IS NOT NULL FROM ({sql}) AS q(c0, c1, c2, c3)",
            params,
            [("id", ">i8"), ("village", ">i8"), ("household", ">i8"), ("birth_date", ">i4"), ("born", "?")],
        )
    ]
    tables = []
    bounds = ResidentFacts.objects.aggregate(low=Min("id"), high=Max("id"))
    split = ((bounds["low"] or 0) + (bounds["high"] or 0)) // 2 + 1
    for model, prefix, key in (
        (ResidentFacts, "facts__", "resident_id"),
        (HouseholdFacts, "household__facts__", "household_id"),
    ):
        names = [n for n in FACT_NAMES if FIELD[n].startswith(prefix)]
        rows = model.objects.all()
        if not whole:
            rows = rows.filter(
                **{f"{key}__in": residents.values("household_id" if key == "household_id" else "pk")}
            )
        # the persons' facts are the biggest read: two halves, so both cores work on it
        parts = [rows] if key == "household_id" else [rows.filter(id__lt=split), rows.filter(id__gte=split)]
        for part in parts:
            table_sql, table_params = part.order_by().values(key, *names).query.sql_with_params()
            reads.append(_table_read(table_sql, table_params, key, names))
        tables.append((key, names, len(parts)))
    people, *table_columns = _read_all(reads)
    table_columns = _join_parts(table_columns, [parts for _key, _names, parts in tables])
    ids = people["id"]
    columns = {"birth_date": Column(people["birth_date"].astype(np.int64), people["born"].astype(bool))}
    for (key, names, _parts), values in zip(tables, table_columns, strict=True):
        owners = ids if key == "resident_id" else people["household"]
        keys, known = values["key"], values["known"].astype(np.int64)
        order = np.argsort(keys, kind="stable")
        place = np.minimum(np.searchsorted(keys[order], owners), max(len(keys) - 1, 0))
        found = (keys[order][place] == owners) if len(keys) else np.zeros(len(owners), dtype=bool)
        row = order[place] if len(keys) else place
        for bit, name in enumerate(names):
            kind = FACTS[name][0]
            mask = found & (known[row] >> bit & 1).astype(bool) if len(keys) else found
            raw = values[name][row] if len(keys) else np.zeros(len(owners), dtype=values[name].dtype)
            if kind == "str":
                words = np.array(["", *_vocabulary(name)], dtype=str)
                columns[name] = Column(words[np.where(mask, raw, 0)], mask)
            else:
                columns[name] = Column(np.where(mask, raw, 0).astype(SQL_OF_KIND[kind][2]), mask)
    return ids, people["village"], {name: columns[name] for name in FACT_NAMES}


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


@dataclass(frozen=True)
class Found:
    """One person on an outreach list."""

    list_id: int
    village: Village
    item: ServiceItem
    resident: Resident


def discovery_lists(
    *, viewer: User, run: DiscoveryRun, village_code: str | None = None, item_code: str | None = None
) -> QuerySet[DiscoveryList]:
    lists = scope_to_viewer(DiscoveryList.objects.filter(run=run), viewer=viewer, town_path="village__town")
    if village_code:
        lists = lists.filter(village__code=village_code)
    if item_code:
        lists = lists.filter(item__code=item_code)
    return lists.select_related("item", "village__town").order_by("village__code", "item__code")


def discovery_entries(
    *,
    viewer: User,
    run: DiscoveryRun,
    village_code: str | None = None,
    item_code: str | None = None,
    limit: int | None = None,
    chunk: int = 2000,
) -> Iterator[Found]:
    """The people on the viewer's lists, village by village and item by item, by name within a
    list. Residents are fetched `chunk` at a time across lists (one query per chunk, not per
    list), so a page of 300 and an export of a whole district both stay small."""
    pending: list[tuple[DiscoveryList, list[int]]] = []
    wanted = 0

    def flush() -> Iterator[Found]:
        people = Resident.objects.in_bulk([pk for _l, ids in pending for pk in ids])
        for outreach_list, ids in pending:
            found = sorted((people[pk] for pk in ids if pk in people), key=lambda r: (r.name_initials, r.pk))
            for resident in found:
                yield Found(outreach_list.pk, outreach_list.village, outreach_list.item, resident)
        pending.clear()

    for outreach_list in discovery_lists(
        viewer=viewer, run=run, village_code=village_code, item_code=item_code
    ):
        ids = outreach_list.residents
        if limit is not None:
            ids = ids[: max(0, limit - wanted)]  # the first of each list by id; sorted by name below
        for start in range(0, len(ids), chunk):
            pending.append((outreach_list, ids[start : start + chunk]))
            wanted += len(ids[start : start + chunk])
            if sum(len(part) for _l, part in pending) >= chunk:
                yield from flush()
        if limit is not None and wanted >= limit:
            break
    yield from flush()


def discovery_entry(*, viewer: User, list_id: int, resident_id: int) -> Found | None:
    """One person on one of the viewer's lists (None when not there, or not the viewer's)."""
    outreach_list = (
        scope_to_viewer(DiscoveryList.objects.all(), viewer=viewer, town_path="village__town")
        .select_related("item", "village__town")
        .filter(pk=list_id)
        .first()
    )
    if outreach_list is None or resident_id not in outreach_list.residents:
        return None
    resident = Resident.objects.filter(pk=resident_id).first()
    return resident and Found(outreach_list.pk, outreach_list.village, outreach_list.item, resident)
