"""Offers made from a discovery run, and offers a later run no longer supports, withdrawn.

Registered with discovery (linju/eligibility/matches.py) from this app's AppConfig.ready, and called by
the run itself once its lists are stored, with the matches it already holds in memory: a second job
started when the run ends would have to read the registry again, or unpack the village lists, which
are by item, not by rule, and leave out everyone who ever had a case. Here the run's status "done"
also means its offers are made.

Set-based: per offered rule, three queries find who is left out (a standing offer of the item, one
answered no — or yes — within the rule's quiet days, an unfinished case of the item), numpy takes them
out, and the rest are written: on PostgreSQL by one COPY into a temporary table and one INSERT … SELECT
(`offers_copy`), elsewhere with bulk_create in chunks (`offers_bulk_create`). 100,000 offers cost a
few statements, never one a person."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

import numpy as np
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from linju.cases.models import Case
from linju.eligibility.matches import RuleMatches, facts_rows
from linju.eligibility.models import EligibilityRule

from ..models import TOKEN_LENGTH, Offer
from ..models import RuleMatches as StoredMatches

if TYPE_CHECKING:
    from linju.eligibility.models import DiscoveryRun

CHUNK = 5000
# a case of the item not finished yet: nobody is offered what they have already asked for
UNFINISHED = (*Case.OPEN, Case.Status.SUSPENDED)
# an answer (or none) that keeps the item from being offered again within the rule's quiet days
QUIETING = (Offer.Status.DECLINED, Offer.Status.CONFIRMED, Offer.Status.GRANTED, Offer.Status.UNANSWERED)
TOKEN_ALPHABET = np.frombuffer(b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ", dtype=np.uint8)


def new_tokens(count: int) -> list[str]:
    """`count` short-link keys as `new_token` makes them (10 characters of the same alphabet, each
    drawn uniformly from the system's random source), made together: a byte is kept only when below
    the largest multiple of the alphabet's size, so no character is likelier than another."""
    size = len(TOKEN_ALPHABET)
    limit = 256 - 256 % size
    wanted = count * TOKEN_LENGTH
    kept = np.empty(0, dtype=np.uint8)
    while len(kept) < wanted:
        drawn = np.frombuffer(secrets.token_bytes(int((wanted - len(kept)) * 1.3) + 16), dtype=np.uint8)
        kept = np.concatenate([kept, drawn[drawn < limit]])
    letters = TOKEN_ALPHABET[kept[:wanted] % size].tobytes().decode()
    return [letters[start : start + TOKEN_LENGTH] for start in range(0, wanted, TOKEN_LENGTH)]


def _left_out(rule: EligibilityRule, bureau_id: int, now: datetime.datetime) -> np.ndarray:
    """The residents of the bureau not to offer the rule's item now: one standing offer of it, an
    answer (or silence) within the quiet days, or an unfinished case of the item. Three queries by
    item (offers and cases are few next to residents), not by a list of resident ids."""
    offers = Offer.objects.filter(bureau_id=bureau_id, item_id=rule.item_id)
    quiet_since = now - datetime.timedelta(days=rule.quiet_days)
    standing = offers.filter(status__in=Offer.STILL_OPEN).values_list("resident_id", flat=True)
    quiet = offers.filter(status__in=QUIETING).filter(
        Q(answered_at__gte=quiet_since) | Q(answered_at__isnull=True, updated_at__gte=quiet_since)
    )
    cases = Case.objects.filter(bureau_id=bureau_id, item_id=rule.item_id, status__in=UNFINISHED)
    return np.fromiter(
        (
            *standing.order_by(),
            *quiet.order_by().values_list("resident_id", flat=True),
            *cases.order_by().values_list("applicant_id", flat=True),
        ),
        dtype=np.int64,
    )


def _rule_version(rule: EligibilityRule) -> int:
    """The rule's latest history row: the version the run read."""
    version = rule.history.order_by("-history_id").values_list("history_id", flat=True).first()
    return version or 0


def offers_make(*, run: DiscoveryRun, found: list[RuleMatches], today: datetime.date) -> int:
    """The offers a finished run gives: for each offered rule, one per resident it matched and item,
    waiting for approval, unless left out (`_left_out`); one offer of an item per resident even when
    two rules offer it. Also keeps each rule's matches with the run. How many offers were made."""
    now = timezone.now()
    made = 0
    offered_now: dict[int, np.ndarray] = {}  # item id -> residents offered it by this run already
    with transaction.atomic():
        StoredMatches.objects.bulk_create(
            [
                StoredMatches(
                    bureau_id=run.bureau_id,
                    run=run,
                    rule=matches.rule,
                    packed_ids=StoredMatches.pack(matches.resident_ids),
                    packed_villages=StoredMatches.pack(matches.village_ids),
                    size=len(matches.resident_ids),
                )
                for matches in found
            ]
        )
        for matches in found:
            rule = matches.rule
            left_out = np.concatenate(
                [_left_out(rule, run.bureau_id, now), offered_now.get(rule.item_id, np.empty(0, np.int64))]
            )
            keep = np.flatnonzero(~np.isin(matches.resident_ids, left_out))
            if not len(keep):
                continue
            offered_now[rule.item_id] = np.concatenate(
                [offered_now.get(rule.item_id, np.empty(0, np.int64)), matches.resident_ids[keep]]
            )
            made += _write(run, matches, keep, today, now)
    return made


def _write(run: DiscoveryRun, matches: RuleMatches, keep: np.ndarray, today, now) -> int:
    rule = matches.rule
    facts = facts_rows(matches)
    residents, villages = matches.resident_ids[keep].tolist(), matches.village_ids[keep].tolist()
    tokens = new_tokens(len(keep))
    # what every offer of the rule shares, as the model gives it (its defaults included)
    shared = Offer(
        bureau_id=run.bureau_id,
        item_id=rule.item_id,
        rule_id=rule.pk,
        rule_version=_rule_version(rule),
        run_id=run.pk,
        facts_as_of=today,
        created_at=now,
        updated_at=now,
    )
    rows = [(residents[at], villages[at], facts[row], tokens[at]) for at, row in enumerate(keep.tolist())]
    # a standing offer made meanwhile (another run of the same bureau at the same moment) wins: the
    # partial unique constraint turns this one away, and nobody gets two
    if connection.vendor == "postgresql":
        offers_copy(shared, rows)
    else:
        offers_bulk_create(shared, rows)
    return Offer.objects.filter(run_id=run.pk, rule_id=rule.pk).count()


# what differs between the offers of one rule in one run: the rest is `shared`
VARYING = ("resident_id", "village_id", "matched_facts", "token")


def offers_bulk_create(shared: Offer, rows: list[tuple]) -> None:
    """The offers (`shared`'s values, each row's VARYING ones) written with bulk_create in chunks,
    those the constraints turn away skipped (SQLite's way; PostgreSQL's is `offers_copy`)."""
    values = {f.attname: getattr(shared, f.attname) for f in Offer._meta.concrete_fields if not f.primary_key}
    for start in range(0, len(rows), CHUNK):
        Offer.objects.bulk_create(
            [Offer(**(values | dict(zip(VARYING, row, strict=True)))) for row in rows[start : start + CHUNK]],
            ignore_conflicts=True,
        )


def offers_copy(shared: Offer, rows: list[tuple]) -> None:
    """The same offers as `offers_bulk_create`, near what writing the rows costs on PostgreSQL: one
    binary COPY into a temporary table without indexes, then one `INSERT … SELECT … ON CONFLICT DO
    NOTHING` (the standing-offer constraint and the token's still decide), whatever their number."""
    fields = [f for f in Offer._meta.concrete_fields if not f.primary_key]
    where = {name: fields.index(Offer._meta.get_field(name.removesuffix("_id"))) for name in VARYING}
    # as save() and bulk_create fill them: auto_now(_add) is the time of writing
    template = [f.get_db_prep_save(f.pre_save(shared, True), connection) for f in fields]
    types = [f.db_type(connection).split("(")[0] for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(Offer._meta.db_table)
    at = [where[name] for name in VARYING]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE offers_new ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY offers_new ({columns}) FROM STDIN (FORMAT binary)") as copy:
            copy.set_types(types)
            for row in rows:
                values = template.copy()
                for index, value in zip(at, row, strict=True):
                    values[index] = value
                copy.write_row(values)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM offers_new ON CONFLICT DO NOTHING"
        )
        cursor.execute("DROP TABLE offers_new")


def offers_withdraw_unmatched(run: DiscoveryRun) -> int:
    """Offers not answered yet (waiting, held or open) that a finished run of the same rule no longer
    matches are withdrawn, quietly: no text, no task. An offer someone said yes to (its case) stays, and
    one where a cadre was asked to come stays for the cadre. Only within the run's reach (its bureau,
    its town, the towns of whoever started it): a run over one town withdraws nothing elsewhere. How
    many were withdrawn."""
    if run.status != run.Status.DONE:
        return 0
    return _withdraw_unmatched(run)


def _withdraw_unmatched(run: DiscoveryRun) -> int:
    now = timezone.now()
    withdrawn = 0
    for matches in StoredMatches.objects.filter(run=run).order_by("pk"):
        unanswered = Offer.objects.filter(
            bureau_id=run.bureau_id,
            rule_id=matches.rule_id,
            status__in=(Offer.Status.AWAITING, Offer.Status.HELD, Offer.Status.OPEN),
        )
        if run.town_id:
            unanswered = unanswered.filter(village__town_id=run.town_id)
        if run.started_by_id:
            unanswered = unanswered.visible_to(run.started_by)
        rows = np.array(list(unanswered.order_by().values_list("pk", "resident_id")), dtype=np.int64)
        if not len(rows):
            continue
        gone = rows[~np.isin(rows[:, 1], matches.resident_ids()), 0].tolist()
        for start in range(0, len(gone), CHUNK):
            withdrawn += Offer.objects.filter(pk__in=gone[start : start + CHUNK]).update(
                status=Offer.Status.WITHDRAWN, withdrawn_at=now, updated_at=now
            )
    return withdrawn


def offers_from_run(run: DiscoveryRun, found: list[RuleMatches], today: datetime.date) -> None:
    """What discovery calls when a run has its lists (registered in OffersConfig.ready): the run's
    offers made, and the offers it no longer supports withdrawn, in one transaction (the run is marked
    done when this returns)."""
    with transaction.atomic():
        offers_make(run=run, found=found, today=today)
        _withdraw_unmatched(run)
