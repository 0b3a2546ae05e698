"""A row's fields as one fixed-width binary record, so that PostgreSQL can hand over a million rows
as one value.

Reading a million rows costs PostgreSQL little; sending them does: one message per row, or, with
`array_agg` per column, one send-function call per value (21 million for the registry's facts,
most of the 1.5 s that read took). A record is the row's values already in their binary form,
concatenated: the whole table is then one `string_agg` of records, one `np.frombuffer` on our side.

`PackedRecord` is that record as a query expression. Used by a `GeneratedField` (db_persist), the
database itself keeps each row's record in step with the row, on every insert and update, by
whatever path they come; used in `annotate`, it packs rows at read time (half the cost of
`array_agg`, twice that of a stored record).

Layout: the key (int8), then each field in order: `date` int4 days since 1970-01-01, `int2` /
`int4` / `int8` integers, `code` int2 (1-based position among the field's words, 0 for blank),
`bool` nothing (its value is a bit of `truth`); then `known` (int4, bit i set when field i is not
NULL) and `truth` (int4, bit i set when the bool field i is true). All big-endian, as the `*send`
functions write them. PostgreSQL only: on other databases the expression is NULL, and callers read
rows through the ORM.
"""

from __future__ import annotations

import re

import numpy as np
from django.db.models import BinaryField, F, Func
from django.utils.deconstruct import deconstructible

WIRE = {"date": ">i4", "int2": ">i2", "int4": ">i4", "int8": ">i8", "code": ">i2", "bool": None}
MAX_FIELDS = 31  # bits of `known` and `truth`
WORD = re.compile(r"[a-z][a-z0-9_]*")


@deconstructible(path="linju.core.records.PackedRecord")
class PackedRecord(Func):
    """`key` is a field name; `fields` a tuple of (field name, kind) or, for kind "code",
    (field name, "code", (word, …)). Field names may cross no relation (a ForeignKey's own
    column is fine: "village" packs village_id)."""

    output_field = BinaryField()

    def __init__(self, key: str, fields: tuple[tuple, ...]):
        if len(fields) > MAX_FIELDS:
            raise ValueError(f"at most {MAX_FIELDS} fields in a record")
        for name, kind, *words in fields:
            if kind not in WIRE:
                raise ValueError(f"{name}: unknown kind {kind!r}")
            if kind == "code" and not (words and all(WORD.fullmatch(w) for w in words[0])):
                raise ValueError(f"{name}: a code field needs its words (lowercase letters, digits, _)")
        self.key, self.fields = key, tuple(fields)
        super().__init__(F(key), *[F(field[0]) for field in fields])

    def as_sql(self, compiler, connection, **extra_context):
        return "NULL", []

    def as_postgresql(self, compiler, connection, **extra_context):
        compiled = [compiler.compile(expression) for expression in self.get_source_expressions()]
        params = [p for _sql, expression_params in compiled for p in expression_params]
        (key, _), *columns = compiled
        parts, known, truth = [f"int8send({key})"], [], []
        for bit, ((_name, kind, *words), (column, _params)) in enumerate(
            zip(self.fields, columns, strict=True)
        ):
            known.append(f"((({column}) IS NOT NULL)::int4 << {bit})")
            if kind == "bool":
                truth.append(f"(coalesce({column}, false)::int4 << {bit})")
            elif kind == "date":
                parts.append(f"int4send(coalesce(({column}) - DATE '1970-01-01', 0))")
            elif kind == "code":
                listed = ",".join(words[0])
                parts.append(
                    f"int2send(coalesce(array_position('{{{listed}}}'::text[], ({column})::text), 0)::int2)"
                )
            else:
                parts.append(f"{kind}send(coalesce({column}, 0)::{kind})")
        # each shift in brackets: PostgreSQL gives << and | the same precedence, left to right
        parts.append(f"int4send({' | '.join(known) or '0'})")
        parts.append(f"int4send({' | '.join(truth) or '0'})")
        return "(" + " || ".join(parts) + ")", params

    def dtype(self) -> np.dtype:
        """The numpy layout of one record."""
        return record_dtype(self.fields)


def record_dtype(fields: tuple[tuple, ...]) -> np.dtype:
    names = [("key", ">i8")]
    names += [(name, WIRE[kind]) for name, kind, *_words in fields if WIRE[kind]]
    return np.dtype([*names, ("known", ">i4"), ("truth", ">i4")])


def unpack(records: np.ndarray, fields: tuple[tuple, ...]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each field's (values in native byte order, known mask). Dates stay days since 1970; codes
    stay codes (0 unknown: a blank text is unknown); bools become bool arrays."""
    known_bits, truth_bits = records["known"].astype(np.int32), records["truth"].astype(np.int32)
    out = {}
    for bit, (name, kind, *_words) in enumerate(fields):
        known = (known_bits >> bit & 1).astype(bool)
        if kind == "bool":
            out[name] = ((truth_bits >> bit & 1).astype(bool), known)
        else:
            values = records[name].astype(np.dtype(WIRE[kind]).newbyteorder("="))
            out[name] = (values, known & (values != 0) if kind == "code" else known)
    return out
