"""A long list of ids as one value of a statement: `rows.filter(pk__in=id_list(ids))`.

Django writes `pk__in=[...]` with one placeholder per id, and on PostgreSQL psycopg binds the values
on the client (the backend's ClientCursor), parsing the statement placeholder by placeholder: for a
part of a thousand or more ids, building the statement costs more than running it. `id_list` hands
the ids over as one value instead: a bigint array unnested on PostgreSQL, a JSON array read by
json_each on SQLite. The same rows either way."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import connection
from django.db.models.expressions import RawSQL


def id_list(ids: Iterable[int]) -> RawSQL:
    """The ids as a one-column subquery, for `__in`."""
    values = [int(value) for value in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [values])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(values)])
