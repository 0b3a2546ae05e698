"""PostgreSQL's binary COPY format, read and written with numpy for fixed-width rows.

The format (PostgreSQL manual, "COPY", binary format): an 11-byte signature, a 32-bit flags
field, a 32-bit header-extension length and the extension; then per row a 16-bit field count and,
per field, a 32-bit length (-1 for NULL) and the value's bytes, all big-endian; then a 16-bit -1.
When no field is NULL and every type is fixed-width (int2/4/8, float8, bool, date), all rows share
one layout, so a million rows are one `np.frombuffer` (or one `tobytes`) instead of a million
Python tuples. Callers fold NULLs away in their SELECT (coalesce and a bitmask of known values).
"""

from __future__ import annotations

import numpy as np
from django.db import connection

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
WIDTH = {">i2": 2, ">i4": 4, ">i8": 8, ">f8": 8, "?": 1}


class CopyFormatError(RuntimeError):
    """The server sent rows in another layout than asked for (a NULL, a variable-width value)."""


def _row_dtype(layout: list[tuple[str, str]]) -> np.dtype:
    parts = [("fields", ">i2")]
    for index, (name, wire) in enumerate(layout):
        parts += [(f"length{index}", ">i4"), (name, wire)]
    return np.dtype(parts)


def copy_out(select: str, params: list, layout: list[tuple[str, str]]) -> np.ndarray:
    """Run `COPY (select) TO STDOUT (FORMAT binary)`; the rows as a numpy record array whose fields
    are named and typed by `layout` [(name, '>i8' | '>i4' | '>i2' | '>f8' | '?'), …]."""
    buffer = bytearray()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT binary)", params) as copy:
            for chunk in copy:
                buffer += chunk
    if bytes(buffer[:11]) != SIGNATURE:
        raise CopyFormatError("not PostgreSQL binary COPY output")
    start = 19 + int.from_bytes(buffer[15:19], "big")
    dtype = _row_dtype(layout)
    count, rest = divmod(len(buffer) - start - 2, dtype.itemsize)
    if rest or bytes(buffer[-2:]) != b"\xff\xff":
        raise CopyFormatError("rows of another width than the layout")
    rows = np.frombuffer(buffer, dtype=dtype, count=count, offset=start)
    if count and not (rows["fields"] == len(layout)).all():
        raise CopyFormatError("rows with another number of fields")
    for index, (_name, wire) in enumerate(layout):
        if count and not (rows[f"length{index}"] == WIDTH[wire]).all():
            raise CopyFormatError("a NULL or a value of another width")
    return rows


def copy_in(table: str, columns: list[tuple[str, str, np.ndarray]]) -> int:
    """`COPY table (…) FROM STDIN (FORMAT binary)` from numpy columns [(column, wire, values), …];
    values may be arrays of one length or scalars. Returns the number of rows written."""
    count = max((np.size(values) for _c, _w, values in columns if np.ndim(values)), default=1)
    rows = np.zeros(count, dtype=_row_dtype([(name, wire) for name, wire, _v in columns]))
    rows["fields"] = len(columns)
    for index, (name, wire, values) in enumerate(columns):
        rows[f"length{index}"] = WIDTH[wire]
        rows[name] = values
    names = ", ".join(connection.ops.quote_name(name) for name, _w, _v in columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN (FORMAT binary)"
        ) as copy:
            copy.write(SIGNATURE + bytes(8) + rows.tobytes() + b"\xff\xff")
    return count
