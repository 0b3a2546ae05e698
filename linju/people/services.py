"""Writes about residents: registration, opening a full record, unmasking, export. Each audited."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.access.capabilities import require, require_personal_export
from linju.audit.events import (
    resident_record_viewed_event,
    resident_unmasked_event,
    residents_exported_event,
)
from linju.core.errors import Conflict, DomainError, ErrorCollector, NotFound
from linju.core.held_queries import HeldInsert, HeldLookup, RowValues
from linju.core.querysets import visible_held_row
from linju.core.replica import replica_reads
from linju.core.request_context import RequestContext
from linju.core.text import has_hidden_characters
from linju.core.xlsx import xlsx_bytes
from linju.geo.models import Village
from linju.geo.selectors import town_by_id, village_by_code

from .idnumbers import parse_id_number
from .models import Household, Person, PersonMove, Resident
from .names import name_initials, name_pinyin
from .phones import normalize_phone
from .selectors import resident_get_for_viewer, resident_list

if TYPE_CHECKING:
    from linju.accounts.models import User

EXPORT_MAX_ROWS = 50_000


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise DomainError(_("Enter the resident's name."), field="name", code="name_required")
    if len(cleaned) > 40:
        raise DomainError(_("A name has at most 40 characters."), field="name", code="name_too_long")
    if has_hidden_characters(cleaned):  # a spreadsheet's cell can hold them too
        raise DomainError(
            _("The text holds hidden control characters. Type it again without them."), field="name"
        )
    return cleaned


def resident_build(
    *,
    name: str,
    id_number: str,
    phone: str = "",
    village: Village | None,
    checks: ErrorCollector | None = None,
) -> Resident | None:
    """An unsaved resident from what a form or a spreadsheet row gives; every bad field is kept in
    `checks` (or raised together when no collector is passed). The village is already resolved."""
    own = checks is None
    checks = checks or ErrorCollector()
    cleaned_name = checks.check(_clean_name, name)
    parsed = checks.check(parse_id_number, id_number)
    cleaned_phone = checks.check(normalize_phone, phone) if phone.strip() else ""
    if village is None:
        checks.errors.append(NotFound(_("No such village among the towns you serve."), field="village_code"))
    if own:
        checks.raise_if_any()
    if checks.errors:
        return None
    return Resident(
        name=cleaned_name,
        name_initials=name_initials(cleaned_name),
        name_pinyin=name_pinyin(cleaned_name),
        id_number=parsed.number,
        id_last4=parsed.last4,
        birth_date=parsed.birth_date,
        sex=parsed.sex,
        phone=cleaned_phone,
        village=village,
        bureau_id=village.town.bureau_id,
    )


def same_name(a: str, b: str) -> bool:
    return "".join(a.split()) == "".join(b.split())


# not durable: part of a registration, inside the registering transaction
def people_directory_record(*, residents: list[Resident], how: str) -> list[PersonMove]:
    """Put newly saved residents in the directory of ID numbers. Someone the directory holds in
    another bureau has moved: the move is recorded (from their record there to this one) and the
    directory follows them; each bureau's record stays in its bureau. Two queries for people new to
    the directory, three more when some have moved.

    Nothing is encrypted or hashed again: the residents' blind indexes (computed when they were
    saved) find them in the directory, and a newcomer's entry copies the saved row's ciphertext and
    index (one purpose, one key ring: it decrypts the same in either table), as
    `people_directory_fill` does."""
    if not residents:
        return []
    index = {r.pk: r.id_number_index for r in residents}  # set by the field's pre_save as it was saved
    known = {
        p.id_number_index: p
        for p in Person.objects.filter(id_number_index__in=sorted(set(index.values()))).only(
            "id_number_index", "bureau_id"
        )
    }
    _directory_enter(pks=[r.pk for r in residents if index[r.pk] not in known])
    moving = [r for r in residents if index[r.pk] in known and known[index[r.pk]].bureau_id != r.bureau_id]
    if not moving:
        return []
    former = {
        (f.bureau_id, f.id_number_index): f
        for f in Resident.objects.filter(id_number_index__in=[index[r.pk] for r in moving]).only(
            "bureau_id", "id_number_index"
        )
    }
    now = timezone.now()
    moves = [
        PersonMove(
            bureau_id=r.bureau_id,
            person=known[index[r.pk]],
            from_bureau_id=known[index[r.pk]].bureau_id,
            from_resident=former[(known[index[r.pk]].bureau_id, index[r.pk])],
            to_resident=r,
            moved_at=now,
            how=how,
        )
        for r in moving
        if (known[index[r.pk]].bureau_id, index[r.pk]) in former  # else the directory just follows
    ]
    PersonMove.objects.bulk_create(moves)
    for bureau_id in {r.bureau_id for r in moving}:
        Person.objects.filter(
            id_number_index__in=[index[r.pk] for r in moving if r.bureau_id == bureau_id]
        ).update(bureau_id=bureau_id, since=now)
    return moves


def _directory_enter(*, pks: list[int]) -> None:
    """Enter these saved residents in the directory for their bureau: one INSERT … SELECT copying
    each row's ciphertext and blind index, none computed in Python."""
    if not pks:
        return
    person, resident = Person._meta.db_table, Resident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {person} (id_number, id_number_index, bureau_id, since) "
            f"SELECT id_number, id_number_index, bureau_id, %s FROM {resident} WHERE id IN "
            f"({', '.join(['%s'] * len(pks))})",
            [timezone.now(), *pks],
        )


# not durable: part of an intake, inside the intake's transaction
def person_directory_claim(*, id_number: str, bureau_id: int) -> bool:
    """Enter a well-formed ID number in the directory for this bureau, if no one holds it yet: one
    statement; True when it was new (nobody anywhere is registered with it). Inside the caller's
    transaction: a twin claiming the same number waits for it, then finds the number taken."""
    table = connection.ops.quote_name(Person._meta.db_table)
    field = Person._meta.get_field("id_number")  # encrypted, claimed by its blind index
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id_number, id_number_index, bureau_id, since) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (id_number_index) DO NOTHING RETURNING id",
            [
                field.get_db_prep_value(id_number, connection),
                field.blind(id_number),
                bureau_id,
                timezone.now(),
            ],
        )
        return cursor.fetchone() is not None


def resident_for_registration(
    *, actor: User, name: str, id_number: str, phone: str = "", village_code: str
) -> Resident:
    """The resident `resident_register` would write, checked and not saved: the actor may register,
    the village is in their towns, every bad field reported together."""
    require(actor, "resident.register")
    village = visible_held_row(VILLAGE_BY_CODE, actor, code=village_code)
    if village is not None:  # its town as the process holds it: no join
        village.town = town_by_id(town_id=village.town_id)
    return resident_build(name=name, id_number=id_number, phone=phone, village=village)


class _ClaimAndRegister:
    """The directory's claim of a newcomer's ID number and the newcomer's row, one statement: both
    rows' values prepared as Django's insert prepares them (an encrypted number with its index)."""

    def __init__(self) -> None:
        self.person = RowValues(Person, connection)
        self.row = RowValues(Resident, connection)
        self.sql = (
            f"WITH claimed AS (INSERT INTO {self.person.table} ({self.person.columns}) "
            f"VALUES {self.person.sql} ON CONFLICT DO NOTHING RETURNING id), "
            f"registered AS (INSERT INTO {self.row.table} ({self.row.columns}) "
            f"SELECT {self.row.sql[1:-1]} WHERE EXISTS (SELECT 1 FROM claimed) ON CONFLICT DO NOTHING RETURNING id) "
            "SELECT (SELECT id FROM claimed), (SELECT id FROM registered)"
        )


_claims = threading.local()  # per thread: a compiler belongs to the connection that made it


# not durable: part of an intake, inside the intake's transaction
def resident_register_if_new(*, resident: Resident) -> bool:
    """Register a checked resident (`resident_for_registration`) whose ID number nobody holds
    anywhere: the number entered in the directory for the resident's bureau and the resident written
    (on PostgreSQL in one statement, which leaves the transaction usable whatever it meets). False,
    writing nothing, when the directory holds the number already: someone registered here or in
    another bureau, whom the caller looks up. A twin registering the same number at once waits for
    this transaction, then finds the number taken."""
    if connection.vendor != "postgresql" or RESIDENT_ROW.listened():
        if not person_directory_claim(id_number=resident.id_number, bureau_id=resident.bureau_id):
            return False
        try:
            with transaction.atomic():
                RESIDENT_ROW.save(resident)
        except IntegrityError:
            raise Conflict(
                _("A resident with this ID number is already registered."), field="id_number"
            ) from None
        return True
    statement = _claims.__dict__.get(connection.alias)
    if statement is None:
        statement = _claims.__dict__[connection.alias] = _ClaimAndRegister()
    person = Person(id_number=resident.id_number, bureau_id=resident.bureau_id, since=timezone.now())
    row = statement.row.values(resident)
    # the number's ciphertext and index made once for both rows (one purpose, one key ring: it
    # decrypts the same in either table, as `people_directory_fill` copies it)
    same = {name: statement.row.value_of(row, name) for name in ("id_number", "id_number_index")}
    params = [*statement.person.values(person, **same), *row]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, params)
        claimed, registered = cursor.fetchone()
    if claimed is None:
        return False
    if registered is None:  # the directory did not hold the number, yet this bureau registered it
        raise Conflict(_("A resident with this ID number is already registered."), field="id_number")
    resident.pk = registered
    resident._state.adding, resident._state.db = False, connection.alias
    return True


# no transaction of its own: one statement, run by the demo loader
def people_directory_fill() -> int:
    """Everyone registered whom the directory does not hold yet, in the bureau that holds them: one
    statement, for registries written in bulk (the demo loader). The number's ciphertext is copied
    as it is (one purpose, one key ring: it decrypts the same in either table), grouped by its index."""
    person, resident = Person._meta.db_table, Resident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {person} (id_number, id_number_index, bureau_id, since) "
            f"SELECT MIN(r.id_number), r.id_number_index, MIN(r.bureau_id), MIN(r.created_at) FROM {resident} r "
            f"WHERE NOT EXISTS (SELECT 1 FROM {person} p WHERE p.id_number_index = r.id_number_index) "
            "GROUP BY r.id_number_index"
        )
        return cursor.rowcount


def registered_elsewhere_as_someone_else(*, id_number: str, name: str, bureau_id: int) -> bool:
    """Whether another bureau holds this ID number under another name: then the person typed is not
    the one registered, and recording them here is no move (one query)."""
    former = (
        Resident.objects.filter(id_number=id_number)
        .exclude(bureau_id=bureau_id)
        .values_list("name", flat=True)
        .first()
    )
    return former is not None and not same_name(former, name)


def registration_refusals(residents: list[Resident]) -> dict[int, DomainError]:
    """What would refuse registering each of these unsaved residents (by position), in one query,
    as `resident_register` refuses one: this bureau holds the ID number already, or another bureau
    holds it under another name (not a move). Those missing from the answer may be registered."""
    registered = Resident.objects.filter(id_number__in=[r.id_number for r in residents]).values_list(
        "bureau_id", "id_number", "name"
    )
    known = {(bureau_id, id_number) for bureau_id, id_number, _name in registered}
    elsewhere = {id_number: name for _bureau_id, id_number, name in registered}
    refusals = {}
    for position, resident in enumerate(residents):
        if (resident.bureau_id, resident.id_number) in known:
            refusals[position] = Conflict(
                _("A resident with this ID number is already registered."), field="id_number"
            )
        elif not same_name(elsewhere.get(resident.id_number, resident.name), resident.name):
            refusals[position] = DomainError(
                _("The name and the ID number do not go together. Check both."), field="id_number"
            )
    return refusals


# not durable: the spreadsheet import writes its rows inside its own transaction
def residents_register_in_bulk(
    *,
    residents: list[Resident],
    household_numbers: list[str],
    how: str = "import",
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Save residents built by `resident_build` and checked (`registration_refusals`), each with its
    household number ("" for none), inside the caller's transaction. As the registration form does
    for one: a household already recorded must be in the resident's village, one not recorded yet
    is created there. If some household is in another village, no resident is saved and the
    positions of those residents are returned (the caller rolls the households back). Otherwise the
    residents are saved `batch_size` at a time, one INSERT a batch (bulk_create), each batch entered
    in the directory (moves from other bureaus recorded); `progress` is told how many are saved."""
    numbers = set(household_numbers) - {""}
    bureau_ids = {resident.bureau_id for resident in residents}
    households = {h.number: h for h in Household.objects.filter(bureau_id__in=bureau_ids, number__in=numbers)}
    elsewhere = []
    for position, (resident, number) in enumerate(zip(residents, household_numbers, strict=True)):
        if not number:
            continue
        household = households.get(number)
        if household is None:
            household = households[number] = Household.objects.create(
                bureau_id=resident.bureau_id, number=number, village=resident.village
            )
        if household.village_id != resident.village.pk:
            elsewhere.append(position)
            continue
        resident.household = household
    if elsewhere:
        return elsewhere
    for start in range(0, len(residents), batch_size):
        batch = Resident.objects.bulk_create(residents[start : start + batch_size])
        people_directory_record(residents=batch, how=how)
        if progress is not None:
            progress(min(start + batch_size, len(residents)))
    return []


def _refuse_a_stranger(resident: Resident) -> None:
    """Someone registered in another bureau may be recorded here (a move) only under the name their
    record there holds; otherwise the answer is the "no such resident" of any stranger's number."""
    if registered_elsewhere_as_someone_else(
        id_number=resident.id_number, name=resident.name, bureau_id=resident.bureau_id
    ):
        raise NotFound(_("No such resident."), field="id_number")


def resident_register(
    *,
    actor: User,
    name: str,
    id_number: str,
    phone: str = "",
    village_code: str,
    household_number: str = "",
    how: str = "registration",
) -> Resident:
    """Record a resident. The village must be in one of the actor's towns. Every bad field is reported.
    Someone registered in another bureau is recorded here as having moved (`people_directory_record`).
    A durable transaction of its own; an intake registers a newcomer inside its own transaction by
    `resident_register_within`."""
    return _resident_register(
        actor=actor,
        name=name,
        id_number=id_number,
        phone=phone,
        village_code=village_code,
        household_number=household_number,
        how=how,
        durable=True,
    )


def resident_register_within(
    *,
    actor: User,
    name: str,
    id_number: str,
    phone: str = "",
    village_code: str,
    household_number: str = "",
    how: str = "registration",
) -> Resident:
    """`resident_register` for a service that already holds the transaction (an intake registering
    the newcomer it takes a case for): a savepoint in it, so a refusal leaves the caller's
    transaction usable; the caller owns durability."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "resident_register_within runs inside its caller's transaction: call resident_register."
        )
    return _resident_register(
        actor=actor,
        name=name,
        id_number=id_number,
        phone=phone,
        village_code=village_code,
        household_number=household_number,
        how=how,
        durable=False,
    )


# a village by its code and the resident's row, compiled to SQL once per thread
# (linju/core/held_queries.py): every registration reads one and writes the other
VILLAGE_BY_CODE = HeldLookup(
    lambda code: Village.objects.filter(code=code).order_by(), find=lambda code: village_by_code(code=code)
)
RESIDENT_ROW = HeldInsert(Resident)


def _resident_register(
    *,
    actor: User,
    name: str,
    id_number: str,
    phone: str,
    village_code: str,
    household_number: str,
    how: str,
    durable: bool,
) -> Resident:
    resident = resident_for_registration(  # before anything is written
        actor=actor, name=name, id_number=id_number, phone=phone, village_code=village_code
    )
    village = resident.village
    try:
        # a savepoint of its own inside an intake: an ID number met at the insert rolls back only
        # the registration, and the intake's transaction stays usable to read whose it is
        with transaction.atomic(durable=durable):
            if household_number:
                household, _created = Household.objects.get_or_create(
                    bureau_id=resident.bureau_id, number=household_number, defaults={"village": village}
                )
                if household.village_id != village.pk:
                    raise DomainError(
                        _("Household %(number)s belongs to another village."),
                        params={"number": household_number},
                        field="household_number",
                    )
                resident.household = household
            RESIDENT_ROW.save(resident)
            if people_directory_record(residents=[resident], how=how):
                _refuse_a_stranger(resident)  # rolls the registration back with the move
    except IntegrityError:
        raise Conflict(
            _("A resident with this ID number is already registered."), field="id_number"
        ) from None
    return resident


# no transaction: its one write is the audit row, a single INSERT
def resident_record_open(*, viewer: User, resident_id: int, context: RequestContext) -> Resident:
    """Open a resident's full record (masked numbers) and record that it was viewed."""
    resident = resident_get_for_viewer(viewer=viewer, resident_id=resident_id)
    resident_record_viewed_event(actor=viewer, resident=resident, context=context)
    return resident


# no transaction: its one write is the audit row, a single INSERT
def resident_unmask(*, viewer: User, resident_id: int, context: RequestContext) -> Resident:
    """Show the whole ID number and phone to a viewer allowed to see them; record it."""
    resident = resident_get_for_viewer(viewer=viewer, resident_id=resident_id)
    require(viewer, "resident.unmask")
    fields = ["id_number"] + (["phone"] if resident.phone else [])
    resident_unmasked_event(actor=viewer, resident=resident, fields=fields, context=context)
    return resident


# no transaction: its one write is the audit row, a single INSERT
@replica_reads()  # read, then the audit record is written (on the primary) before the file leaves
def residents_export_xlsx(
    *,
    viewer: User,
    query: str = "",
    town_code: str | None = None,
    village_code: str | None = None,
    context: RequestContext,
) -> tuple[bytes, int]:
    """The search result as an Excel sheet with masked numbers; the export is recorded."""
    require_personal_export(viewer)
    residents = resident_list(viewer=viewer, query=query, town_code=town_code, village_code=village_code)
    content, count = xlsx_bytes(
        sheet=_("Residents"),
        header=(_("Name"), _("ID number"), _("Sex"), _("Birth date"), _("Phone"), _("Town"), _("Village")),
        rows=(
            (
                r.name,
                r.masked_id_number,
                str(r.get_sex_display()),
                r.birth_date.isoformat(),
                r.masked_phone,
                r.village.town.name,
                r.village.name,
            )
            for r in residents[:EXPORT_MAX_ROWS].iterator(chunk_size=2000)
        ),
    )
    residents_exported_event(
        actor=viewer,
        count=count,
        filters={"q": query, "town": town_code or "", "village": village_code or ""},
        file_format="xlsx",
        context=context,
    )
    return content, count
