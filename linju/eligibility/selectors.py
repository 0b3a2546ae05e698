"""Facts as the rule engines want them: a dict for one person, columns for many. One mapping for both."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection, connections, router
from django.db.models import Q, QuerySet
from django.utils import timezone

from linju.access.capabilities import require
from linju.catalog.models import ServiceItem
from linju.catalog.selectors import item_list
from linju.core.pgcopy import copy_records_in_parts
from linju.core.records import PackedRecord, unpack
from linju.geo.models import Village
from linju.people.masking import mask_given_name
from linju.people.models import Resident

from .models import DiscoveryList, DiscoveryRun, EligibilityRule, HouseholdFacts, ResidentFacts
from .plain import step_items
from .rules import FACTS, Column, Explanation, Rule, column_of, explain

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


TRIAL_SIZE = 20


def rule_trial(
    *, viewer: User, rule: Rule, today: datetime.date | None = None
) -> list[tuple[str, Explanation]]:
    """A parsed rule tried on the first residents with facts in the viewer's towns, for those who
    write rules: each resident's name masked (the point is the rule, not the person) and what the
    rule makes of their facts (`rules.explain`)."""
    require(viewer, "rules.edit")
    today = today or timezone.localdate()
    sample = Resident.objects.filter(facts__isnull=False).visible_to(viewer).order_by("pk")[:TRIAL_SIZE]
    return [(mask_given_name(resident.name), explain(rule, facts_of(resident), today)) for resident in sample]


def facts_columns(
    residents: QuerySet[Resident], *, bureau_id: int | None = None
) -> tuple[np.ndarray, np.ndarray, dict[str, Column]]:
    """(resident ids, village ids, columns) for many people (all of one bureau when `bureau_id`
    is given), read in one query (on PostgreSQL: a few, each in bounded parts)."""
    if connection.vendor == "postgresql" and not residents.query.is_empty():
        return _facts_columns_copy(residents, bureau_id)
    rows = list(residents.order_by("pk").values_list("pk", "village_id", *[FIELD[n] for n in FACT_NAMES]))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    villages = np.array([r[1] for r in rows], dtype=np.int64)
    columns = {
        name: column_of(FACTS[name][0], [_clean(FACTS[name][0], r[offset]) for r in rows])
        for offset, name in enumerate(FACT_NAMES, start=2)
    }
    return ids, villages, columns


NUMPY_OF_KIND = {"date": np.int64, "number": np.float64, "bool": bool}


def _copy_records_in_thread(rows: QuerySet, record: PackedRecord, using: str) -> np.ndarray:
    try:
        return copy_records_in_parts(rows, record, using=using)
    finally:
        connections[using].close()  # this thread's own connection


def _read_all(reads: list[tuple[QuerySet, PackedRecord]]) -> list[np.ndarray]:
    """Run the reads (each a query of one record column, read in bounded parts), on one connection
    each at the same time when nothing uncommitted must be seen (PostgreSQL works each on its own
    core); inside a transaction, one after the other on its own. From the replica when the caller
    asked for it (`linju.core.replica.replica_reads`), decided here, in the caller's context."""
    using = router.db_for_read(Resident)
    if connections[using].in_atomic_block or connection.in_atomic_block:
        return [copy_records_in_parts(rows, record, using=using) for rows, record in reads]
    with ThreadPoolExecutor(max_workers=len(reads)) as pool:
        return list(pool.map(lambda read: _copy_records_in_thread(*read, using), reads))


def _line_up(keys: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each owner, the row whose key is theirs, and whether there is one. Keys are serial ids,
    so a direct index (one array as long as the largest id) does it in two passes; ids spread
    far wider than the rows fall back to sorting."""
    if not len(keys) or not len(owners):
        return np.zeros(len(owners), dtype=np.int64), np.zeros(len(owners), dtype=bool)
    top = int(max(keys.max(), owners.max()))
    if top <= 4 * (len(keys) + len(owners)) + 1_000_000:
        position = np.full(top + 1, -1, dtype=np.int64)
        position[keys] = np.arange(len(keys))
        row = position[owners]
    else:
        order = np.argsort(keys, kind="stable")
        place = np.minimum(np.searchsorted(keys[order], owners), len(keys) - 1)
        row = np.where(keys[order][place] == owners, order[place], -1)
    found = row >= 0
    return np.where(found, row, 0), found


def _facts_columns_copy(residents: QuerySet[Resident], bureau_id: int | None = None):
    """facts_columns on PostgreSQL: the people, their facts and their households' facts are read
    apart, each table as one value of the fixed-width records the database keeps (`record`), at
    the same time on separate connections when not inside a transaction, then lined up in numpy.
    No join of a million rows to a million."""
    people_record = Resident._meta.get_field("record").expression
    reads = [(residents, people_record)]
    # the run's bureau's facts are read whole even for a cadre's town, and only the people in scope
    # are lined up with them: one read of a bureau's records (0.3 s for a million, by key range)
    # costs less than finding the scope's rows (0.75 s for the 755,000 people a district's staff
    # serve). Another bureau's rows are never read, and nothing outside the scope leaves here.
    for model in (ResidentFacts, HouseholdFacts):
        rows = model.objects.all() if bureau_id is None else model.objects.filter(bureau_id=bureau_id)
        reads.append((rows, model._meta.get_field("record").expression))
    people_records, *tables = _read_all(reads)
    people = unpack(people_records, people_record.fields)
    ids = people_records["key"].astype(np.int64)
    households = np.where(people["household"][1], people["household"][0], 0)
    born, known_birth = people["birth_date"]
    columns = {"birth_date": Column(born.astype(np.int64), known_birth)}
    for (_rows, record), records, owners in zip(reads[1:], tables, (ids, households), strict=True):
        row, found = _line_up(records["key"].astype(np.int64), owners)
        lined = np.take(records, row) if len(records) else np.zeros(len(owners), dtype=records.dtype)
        if not found.all():
            lined[~found] = np.zeros(1, dtype=records.dtype)  # no facts row: every fact unknown
        # unknown values are already 0 in a record (and a blank text is code 0)
        for (name, kind, *words), (values, known) in zip(
            record.fields, unpack(lined, record.fields).values(), strict=True
        ):
            if kind == "code":
                columns[name] = Column(values, known, ("", *words[0]))
            else:
                columns[name] = Column(values.astype(NUMPY_OF_KIND[FACTS[name][0]], copy=False), known)
    return ids, people["village"][0], {name: columns[name] for name in FACT_NAMES}


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


def items_after_steps(*, item_codes: set[str]) -> list[tuple[str, list[str]]]:
    """For each of these items that is a step of other items' rules (失业登记 for 失业保险金申领), the
    names of those items: a person on the step's list may apply for them once the step is taken,
    so the cadre who visits can ask. As (the step item's name, [the items' names]), by code."""
    after: dict[str, tuple[str, list[str]]] = {}
    for rule in rules_in_force():
        for code in dict.fromkeys(step_items(rule.plain or [])):
            if code in item_codes and code != rule.item.code:
                after.setdefault(code, ("", []))[1].append(rule.item.name)
    names = {item.code: item.name for item in item_list() if item.code in after}  # held: no query
    return [(names[code], items) for code, (_blank, items) in sorted(after.items()) if code in names]


def latest_runs(*, viewer: User) -> list[DiscoveryRun]:
    """The viewer's own latest runs (started together: one a town for a cadre; still running or
    not), else the latest finished run over their bureau started by a colleague or by the
    city-wide command. Their lists are read through discovery_lists, which keeps them to the
    viewer's towns."""
    runs = DiscoveryRun.objects.order_by("-created_at", "-pk").select_related("town")
    own = runs.filter(started_by=viewer).first()
    if own is not None:
        return list(runs.filter(started_by=viewer, batch=own.batch)) if own.batch else [own]
    theirs = (
        runs.filter(status=DiscoveryRun.Status.DONE, bureau_id=viewer.bureau_id)
        .filter(Q(started_by__isnull=True) | Q(started_by__bureau_id=viewer.bureau_id))
        .first()
    )
    return [theirs] if theirs else []


def finished_run(*, viewer: User, run_id) -> DiscoveryRun | None:
    """A finished run of the viewer's bureau, by id (a number sent by a page or kept in a job's
    parameters): another bureau's run is not the viewer's to export, not even as an empty file."""
    text = str(run_id)
    if not (text.isascii() and text.isdigit() and len(text) <= 12):
        return None
    return DiscoveryRun.objects.filter(
        pk=int(text), status=DiscoveryRun.Status.DONE, bureau_id=viewer.bureau_id
    ).first()


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
    lists = DiscoveryList.objects.filter(run=run).visible_to(viewer)
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
    list), so a page of 300 and an export of a whole district both stay small. By name: for those
    who read people (`person.read`); a leader reads the counts (discovery_counts)."""
    require(viewer, "person.read")
    return _entries(
        viewer=viewer, run=run, village_code=village_code, item_code=item_code, limit=limit, chunk=chunk
    )


def _entries(
    *,
    viewer: User,
    run: DiscoveryRun,
    village_code: str | None,
    item_code: str | None,
    limit: int | None,
    chunk: int,
) -> Iterator[Found]:
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
        ids = outreach_list.resident_ids()
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


def discovery_counts(
    *, viewer: User, run: DiscoveryRun, village_code: str | None = None, limit: int | None = None
) -> list[DiscoveryList]:
    """How many on each of the viewer's lists (village, item, size), no names: what a leader reads
    of a run; one query."""
    lists = discovery_lists(viewer=viewer, run=run, village_code=village_code).defer("packed_ids")
    return list(lists[:limit] if limit is not None else lists)


def discovery_entry(*, viewer: User, list_id: int, resident_id: int) -> Found | None:
    """One person on one of the viewer's lists (None when not there, or not the viewer's)."""
    outreach_list = (
        DiscoveryList.objects.visible_to(viewer)
        .select_related("item", "village__town")
        .filter(pk=list_id)
        .first()
    )
    if outreach_list is None or resident_id not in outreach_list.resident_ids():
        return None
    resident = Resident.objects.filter(pk=resident_id).first()
    return resident and Found(outreach_list.pk, outreach_list.village, outreach_list.item, resident)
