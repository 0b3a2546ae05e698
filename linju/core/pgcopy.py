"""Records of a query as one numpy array, through PostgreSQL's binary COPY format.

The format (PostgreSQL manual, "COPY", binary format): an 11-byte signature, a 32-bit flags
field, a 32-bit header-extension length and the extension; then per row a 16-bit field count and,
per field, a 32-bit length (-1 for NULL) and the value's bytes, all big-endian; then a 16-bit -1.

PostgreSQL sends COPY output one message per row, and a million messages cost more to read than
the query; so the rows' fixed-width records (`linju.core.records.PackedRecord`) are first joined
into one value (`string_agg`), and that single row's single field is the whole array's bytes.
PostgreSQL refuses a value over 1 GB (40-byte records: about 27 million rows), so a table is read
in parts of at most MAX_PART_BYTES each (`copy_records_in_parts`), one after the other by key.
"""

from __future__ import annotations

import numpy as np
from django.db import connection, connections

from .fields import EncryptedField

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
MAX_PART_BYTES = 256 * 1024 * 1024  # one value of a part: well under PostgreSQL's 1 GB a value


class CopyFormatError(RuntimeError):
    """The server sent something else than records of the layout asked for."""


def _read(statement: str, params: list, using: str) -> list[memoryview]:
    """The COPY output as psycopg hands it over, one piece per message. With one row of one field
    the first message holds the header and the whole value (the server sends a row at a time), so
    callers can read it in place instead of copying tens of megabytes into one buffer."""
    with connections[using].cursor() as cursor:
        with cursor.cursor.copy(statement, params) as copy:
            # memoryviews owning libpq's buffers: they stay valid after the COPY ends
            pieces = list(copy)
    if not pieces or bytes(pieces[0][:11]) != SIGNATURE:
        raise CopyFormatError("not PostgreSQL binary COPY output")
    return pieces


def copy_records(select: str, params: list, dtype: np.dtype, *, using: str = "default") -> np.ndarray:
    """The records of `select` (one bytea column, every value `dtype.itemsize` bytes, e.g. a
    PackedRecord) as one structured array. NULL records are skipped by string_agg. One bytea holds
    at most 1 GB: read a bigger table with `copy_records_in_parts`."""
    statement = f"COPY (SELECT string_agg(r, ''::bytea) FROM ({select}) AS q(r)) TO STDOUT (FORMAT binary)"
    pieces = _read(statement, params, using)
    data = pieces[0]
    offset = 19 + int.from_bytes(data[15:19], "big")
    if len(data) < offset + 6:
        data = b"".join(pieces)
    if int.from_bytes(data[offset : offset + 2], "big") != 1:
        raise CopyFormatError("rows with another number of fields")
    length = int.from_bytes(data[offset + 2 : offset + 6], "big", signed=True)
    if length == -1:  # no rows: string_agg of nothing is NULL
        return np.zeros(0, dtype=dtype)
    if length % dtype.itemsize:
        raise CopyFormatError("records of another width")
    if len(data) < offset + 6 + length:  # the value came in more than one piece
        data = b"".join(pieces)
    return np.frombuffer(data, dtype=dtype, count=length // dtype.itemsize, offset=offset + 6)


def insert_rows(model, fields: list[str], rows: list[tuple], *, batch_size: int = 500) -> None:
    """Insert many rows of `model` (values in `fields` order, foreign keys by id). On PostgreSQL
    one binary `COPY … FROM STDIN` (a fraction of what bulk_create costs for a few thousand rows
    of binary data); elsewhere bulk_create. No signals, no save(), no returned ids, like
    bulk_create; and, like any COPY, all the rows or none."""
    if not rows:
        return
    found = [model._meta.get_field(name) for name in fields]
    if connection.vendor != "postgresql":  # bulk_create encrypts and indexes as any save does
        names = [field.attname for field in found]  # run -> run_id
        model.objects.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=batch_size
        )
        return
    rows, found = _encrypted(found, rows)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in found)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT binary)") as copy:
            # type names without modifiers: varchar(12) is varchar to the binary format
            copy.set_types([field.db_type(connection).split("(")[0] for field in found])
            for row in rows:
                copy.write_row(row)


def _encrypted(found: list, rows: list[tuple]) -> tuple[list[tuple], list]:
    """The rows as the columns hold them: encrypted fields encrypted (linju/core/fields.py), each
    with its blind index column added when the caller did not name it."""
    encrypted = [i for i, field in enumerate(found) if isinstance(field, EncryptedField)]
    if not encrypted:
        return rows, found
    names = {field.name for field in found}
    indexed = [(i, found[i]) for i in encrypted if found[i].index and found[i].index not in names]
    prepared = []
    for row in rows:
        values = list(row)
        for i, field in indexed:
            values.append(field.blind(row[i]))
        for i in encrypted:
            values[i] = found[i].get_db_prep_value(row[i], connection)
        prepared.append(tuple(values))
    return prepared, found + [field.index_field for _i, field in indexed]


def insert_objects(model, objects: list) -> None:
    """Insert unsaved instances of `model` with `insert_rows`: every concrete field but the automatic
    key and generated columns, with auto_now fields filled as `save()` would fill them."""
    fields = [
        f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)
    ]
    insert_rows(
        model,
        [f.name for f in fields],
        [tuple(f.pre_save(obj, True) for f in fields) for obj in objects],
    )


def copy_records_in_parts(
    rows, record, *, using: str = "default", max_bytes: int | None = None
) -> np.ndarray:
    """Every record of the queryset `rows` (a model with a `record` field made by `record`, a
    PackedRecord), read in parts of at most `max_bytes` each. The record's key is a unique integer
    (the row's id, or its one-to-one owner's), so a range of N consecutive keys holds at most N
    records: the parts are key ranges from the smallest key of `rows` to the largest, each one
    `copy_records` value well under PostgreSQL's 1 GB limit. No ORDER BY and no LIMIT: a part is
    read in the order the rows lie, with nothing to sort (sorting a bureau's million rows by key
    spilled to disk and took three processes), and its memory joins the whole as it arrives."""
    from django.db.models import Max, Min

    dtype = record.dtype()
    per_part = max(1, (max_bytes or MAX_PART_BYTES) // dtype.itemsize)
    field = rows.model._meta.get_field(record.key)
    if not (field.primary_key or field.unique):
        raise ValueError(f"{rows.model.__name__}.{record.key} is not unique: parts by key range need it")
    key = field.attname  # resident -> resident_id: no join
    rows = rows.using(using).order_by()
    bounds = rows.aggregate(low=Min(key), high=Max(key))
    if bounds["low"] is None:
        return np.zeros(0, dtype=dtype)
    parts = []
    for start in range(bounds["low"], bounds["high"] + 1, per_part):
        part_rows = rows.filter(**{f"{key}__gte": start, f"{key}__lt": start + per_part})
        select, params = part_rows.values_list("record").query.sql_with_params()
        parts.append(copy_records(select, params, dtype, using=using))
    return parts[0] if len(parts) == 1 else np.concatenate(parts)
