"""The day's case number and the rows that carry it, written together.

Case numbers have no gaps: the number is the bureau's counter of the day, bumped inside the intake's
own transaction (a failed intake rolls it back). The bump locks the counter's row until the commit,
so every other intake of the bureau waits from the bump to the commit: that stretch is the intake's
bottleneck, and it holds no client's work. On PostgreSQL the bump, the case, its first events and
its messages to the province are one statement (data-modifying WITH queries), the case's number
made by the database from the bumped value; only the commit follows it. Elsewhere (SQLite, which
writes one transaction at a time anyway) they are written one by one, the number read first.

The rows are built before the number is known, the number standing as `NUMBER` where a text carries
it (a message's reference and payload); the database puts the number in its place.
"""

from __future__ import annotations

import datetime
import json
import threading

from django.db import connection
from django.db.models import Model, signals
from django.utils import timezone

from linju.core.held_queries import BoundHere, HeldInsert, RowValues
from linju.exchange.models import Message
from linju.geo.models import Bureau

from ..models import Case, CaseCounter, CaseEvent

NUMBER = "⟪number⟫"  # where a text carries the number not yet given; no case text holds it
DIGITS = 4  # QJ-20261129-0001: at least four digits, more past 9,999 a day

CASE_ROW = HeldInsert(Case)
EVENT_ROW = HeldInsert(CaseEvent)


def case_number(bureau: Bureau, day: datetime.date, last: int) -> str:
    return f"{_prefix(bureau, day)}{last:0{DIGITS}d}"


def _prefix(bureau: Bureau, day: datetime.date) -> str:
    return f"{bureau.code}-{day:%Y%m%d}-"


def _bump(bureau: Bureau, day: datetime.date) -> int:
    """The bureau's counter of the day created or bumped: one statement, its new value."""
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bureau_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (bureau_id, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [bureau.pk, day],
        )
        (last,) = cursor.fetchone()
    return last


def next_case_number(bureau: Bureau, day: datetime.date) -> str:
    """The bureau's next case number of the day, inside the caller's transaction (a case written by
    other means than `write_numbered`: a bundle's)."""
    return case_number(bureau, day, _bump(bureau, day))


BOOTHS = Case._meta.get_field("booth").related_model  # outreach's, a layer above: read through the field


def in_one_statement() -> bool:
    """Whether `write_numbered` writes in one statement here (PostgreSQL, and nobody listens to the
    saves of the rows it writes): then it can also find the market's booth of the day."""
    return connection.vendor == "postgresql" and not any(
        _listened(model) for model in (Case, CaseEvent, Message, BOOTHS)
    )


# not durable: the intake's writes, inside its transaction
def write_numbered(
    *,
    bureau: Bureau,
    day: datetime.date,
    case: Case,
    events: list[CaseEvent],
    messages: list[Message],
    booth_of_the_day: tuple[int, datetime.date] | None = None,
    carrying: list[tuple[Model, str]] = (),
) -> None:
    """Give the unsaved case the bureau's next number of the day and write it, its events and its
    messages (built with `NUMBER` in their reference and payload). Sets their keys and numbers.

    `booth_of_the_day` (market id, day), only when `in_one_statement()`: the case belongs to that
    market's booth of the day, planned or held (the first not cancelled), found in the same
    statement; a planned booth that takes a case has been held.

    `carrying`: rows saved before that carry the number in a text column (row, field name), written
    `NUMBER` there: the number is put in its place in the same statement."""
    if not in_one_statement():
        if booth_of_the_day is not None:
            raise ValueError("The booth of the day is found in the statement only when it is one.")
        _write_one_by_one(bureau, day, case, events, messages)
        _carry(carrying, case.number)
        return
    statement = _statement(
        len(events), len(messages), booth_of_the_day is not None, tuple(_carried(carrying))
    )
    params: list = []
    if booth_of_the_day is not None:
        market_id, booth_day = booth_of_the_day
        params += [market_id, booth_day, BOOTHS.Status.CANCELLED, BOOTHS.Status.HELD, timezone.now()]
        params += [BOOTHS.Status.PLANNED]
    params += [bureau.pk, day]
    params += statement.case.values(case, number=_prefix(bureau, day))
    for event in events:
        params += statement.event.values(event)
    for message in messages:
        params += statement.message.values(message)
    params += [row.pk for row, _name in carrying]
    with connection.cursor() as cursor:
        statement.bound.execute(cursor, params)
        case_id, number, booth_id, event_ids, message_ids = cursor.fetchone()
    case.pk, case.number, case.booth_id = case_id, number, booth_id
    case._state.adding, case._state.db = False, connection.alias
    for event, event_id in zip(events, event_ids, strict=True):
        event.pk, event.case_id = event_id, case_id
        event._state.adding, event._state.db = False, connection.alias
    for message, message_id in zip(messages, message_ids, strict=True):
        _number_in(message, number)
        message.pk = message_id
        message._state.adding, message._state.db = False, connection.alias
    for row, name in carrying:
        setattr(row, name, getattr(row, name).replace(NUMBER, number))


def _carried(carrying) -> list[tuple[str, str]]:
    """(table, column) of each row that carries the number."""
    return [(row._meta.db_table, row._meta.get_field(name).column) for row, name in carrying]


def _carry(carrying, number: str) -> None:
    for row, name in carrying:
        setattr(row, name, getattr(row, name).replace(NUMBER, number))
        type(row).objects.filter(pk=row.pk).update(**{name: getattr(row, name)})


def _listened(model: type[Model]) -> bool:
    return signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model)


def _write_one_by_one(bureau, day, case, events, messages) -> None:
    case.number = next_case_number(bureau, day)
    CASE_ROW.save(case)
    for event in events:
        event.case = case
    if len(events) == 1:
        EVENT_ROW.save(events[0])
    else:
        CaseEvent.objects.bulk_create(events)
    for message in messages:
        _number_in(message, case.number)
    if len(messages) == 1:
        messages[0].save(force_insert=True)
    elif messages:
        Message.objects.bulk_create(messages)


def _number_in(message: Message, number: str) -> None:
    message.reference = message.reference.replace(NUMBER, number)
    message.payload = json.loads(json.dumps(message.payload, ensure_ascii=False).replace(NUMBER, number))


class _Statement:
    def __init__(self, events: int, messages: int, booth: bool, carried: tuple[tuple[str, str], ...]) -> None:
        counter = connection.ops.quote_name(CaseCounter._meta.db_table)
        booths = connection.ops.quote_name(BOOTHS._meta.db_table)
        last = "(SELECT last FROM bumped)"
        number = f"%s || CASE WHEN {last} < 1{'0' * DIGITS} THEN lpad({last}::text, {DIGITS}, '0') ELSE {last}::text END"
        in_text = f"replace(%s, '{NUMBER}', (SELECT number FROM new_case))"
        self.case = RowValues(
            Case,
            connection,
            {"number": number} | ({"booth_id": "(SELECT id FROM day_booth)"} if booth else {}),
        )
        self.event = RowValues(CaseEvent, connection, {"case_id": "(SELECT id FROM new_case)"})
        self.message = RowValues(
            Message,
            connection,
            {"reference": in_text, "payload": f"({in_text.replace('%s', '(%s)::text')})::jsonb"},
        )
        parts = []
        if booth:
            parts += [
                f"day_booth AS (SELECT id, status FROM {booths} WHERE market_id = %s AND date = %s "
                "AND status <> %s ORDER BY id LIMIT 1)",
                f"held_now AS (UPDATE {booths} SET status = %s, updated_at = %s "
                "WHERE id IN (SELECT id FROM day_booth WHERE status = %s) RETURNING id)",
            ]
        parts += [
            f"bumped AS (INSERT INTO {counter} (bureau_id, day, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (bureau_id, day) DO UPDATE SET last = {counter}.last + 1 RETURNING last)",
            f"new_case AS (INSERT INTO {self.case.table} ({self.case.columns}) "
            f"VALUES {self.case.sql} RETURNING id, number, booth_id)",
        ]
        if events:
            rows = ", ".join([self.event.sql] * events)
            parts.append(
                f"new_events AS (INSERT INTO {self.event.table} ({self.event.columns}) VALUES {rows} RETURNING id)"
            )
        if messages:
            rows = ", ".join([self.message.sql] * messages)
            parts.append(
                f"new_messages AS (INSERT INTO {self.message.table} ({self.message.columns}) VALUES {rows} RETURNING id)"
            )
        quote = connection.ops.quote_name
        for position, (table, column) in enumerate(carried):
            parts.append(
                f"carried_{position} AS (UPDATE {quote(table)} SET {quote(column)} = "
                f"replace({quote(column)}, '{NUMBER}', (SELECT number FROM new_case)) WHERE id = %s)"
            )
        event_ids = "ARRAY(SELECT id FROM new_events ORDER BY id)" if events else "ARRAY[]::bigint[]"
        message_ids = "ARRAY(SELECT id FROM new_messages ORDER BY id)" if messages else "ARRAY[]::bigint[]"
        self.sql = (
            f"WITH {', '.join(parts)} SELECT id, number, booth_id, {event_ids}, {message_ids} FROM new_case"
        )
        self.bound = BoundHere(self.sql)  # some 75 values: past what psycopg keeps the shape of


_held = threading.local()  # per thread: a compiler belongs to the connection that made it


def _statement(events: int, messages: int, booth: bool, carried: tuple) -> _Statement:
    statements = _held.__dict__.setdefault(connection.alias, {})
    key = (events, messages, booth, carried)
    statement = statements.get(key)
    if statement is None:
        statement = statements[key] = _Statement(*key)
    return statement
