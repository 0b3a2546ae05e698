"""Columns of a query as numpy arrays, through PostgreSQL's binary COPY format.

The format (PostgreSQL manual, "COPY", binary format): an 11-byte signature, a 32-bit flags
field, a 32-bit header-extension length and the extension; then per row a 16-bit field count and,
per field, a 32-bit length (-1 for NULL) and the value's bytes, all big-endian; then a 16-bit -1.
An array value (manual, array_send) is a header (dimensions, a has-NULL flag, the element type,
then size and lower bound per dimension) and its elements, each a 32-bit length and the bytes.
With fixed-width types (int2/4/8, float8, bool) and no NULLs every element has one layout, so a
column of a million values is one `np.frombuffer`. Callers fold NULLs away in their SELECT
(coalesce, and a bitmask of which values were known).
"""

from __future__ import annotations

import numpy as np
from django.db import connection

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
WIDTH = {">i2": 2, ">i4": 4, ">i8": 8, ">f8": 8, "?": 1}


class CopyFormatError(RuntimeError):
    """The server sent rows in another layout than asked for (a NULL, a variable-width value)."""


def _read(statement: str, params: list) -> bytes:
    buffer = bytearray()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(statement, params) as copy:
            for chunk in copy:
                buffer += chunk
    if bytes(buffer[:11]) != SIGNATURE:
        raise CopyFormatError("not PostgreSQL binary COPY output")
    return bytes(buffer)


def copy_out(select: str, params: list, layout: list[tuple[str, str]]) -> dict[str, np.ndarray]:
    """The columns of `select` as numpy arrays named and typed by `layout` [(name, '>i8' | '>i4' |
    '>i2' | '>f8' | '?'), …], in the select's order. No value may be NULL.

    PostgreSQL sends COPY output one message per row, and reading a million messages costs more
    than the query; so each column is first gathered into one array (`array_agg`) and the single
    row that results is sent in binary, where an array of a fixed-width type is a 20-byte header
    and then, per element, a 4-byte length and the value: one `np.frombuffer` per column."""
    names = [f"c{i}" for i in range(len(layout))]
    statement = (
        f"COPY (SELECT {', '.join(f'array_agg({n})' for n in names)} FROM ({select}) AS q({', '.join(names)}))"
        " TO STDOUT (FORMAT binary)"
    )
    data = _read(statement, params)
    offset = 19 + int.from_bytes(data[15:19], "big")
    if int.from_bytes(data[offset : offset + 2], "big") != len(layout):
        raise CopyFormatError("rows with another number of fields")
    offset += 2
    columns = {}
    for name, wire in layout:
        length = int.from_bytes(data[offset : offset + 4], "big", signed=True)
        offset += 4
        if length == -1:  # no rows at all: array_agg of nothing is NULL
            columns[name] = np.zeros(0, dtype=np.dtype(wire).newbyteorder("="))
            continue
        dimensions, has_null = int.from_bytes(data[offset : offset + 4], "big"), data[offset + 7]
        count = int.from_bytes(data[offset + 12 : offset + 16], "big")
        if dimensions != 1 or has_null:
            raise CopyFormatError("a NULL in a column")
        elements = np.frombuffer(
            data, dtype=[("length", ">i4"), ("value", wire)], count=count, offset=offset + 20
        )
        if count and not (elements["length"] == WIDTH[wire]).all():
            raise CopyFormatError("a value of another width")
        columns[name] = elements["value"].astype(np.dtype(wire).newbyteorder("="))
        offset += length
    return columns
