"""A hot path's query compiled to SQL once, then sent again with new values.

Django compiles a queryset to SQL on every evaluation: for a read of one case with its applicant
(62 columns) that compiling costs more of the request than the database's work. A `HeldQuery` names
one shape of query (a function building it from its key) and keeps, per thread, the SQL and the
compiler's description of its columns after the first evaluation; later evaluations send the same
SQL with the new values and build the model instances the way Django's `ModelIterable` does (the
model and its `select_related` relations, annotations).

The SQL is held only when it is safe to: when each of the key's values stands at exactly one place
among the compiled parameters (the others are the query's own constants, sent again as they were). Otherwise, and for a query
the database would answer empty without asking (`EmptyResultSet`), every evaluation compiles as
usual. Per thread, because a compiler belongs to the connection that compiled it.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    ForeignKey,
    IntegerField,
    Model,
    QuerySet,
    TextField,
    signals,
)
from django.db.models.fields import AutoFieldMixin
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=Model)


class _Held:
    __slots__ = (
        "compiler",
        "sql",
        "params",
        "positions",
        "converters",
        "populators",
        "init_list",
        "model_start",
        "model_end",
        "annotations",
    )

    def __init__(self, compiler, sql: str, params: list, positions: list[int], alias: str) -> None:
        self.compiler, self.sql, self.params, self.positions = compiler, sql, params, positions
        self.converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        self.populators = get_related_populators(compiler.klass_info, compiler.select, alias)
        select_fields = compiler.klass_info["select_fields"]
        self.model_start, self.model_end = select_fields[0], select_fields[-1] + 1
        self.init_list = [f[0].target.attname for f in compiler.select[self.model_start : self.model_end]]
        self.annotations = tuple(compiler.annotation_col_map.items())


class HeldQuery(Generic[M]):
    """`build(**key)` gives the queryset (unsliced, without `_known_related_objects`); `rows(**key)`
    its first `limit` rows (all when None), compiled once per thread and database."""

    def __init__(self, build: Callable[..., QuerySet[M]], *, limit: int | None = None) -> None:
        self._build, self._limit = build, limit
        self._shape: tuple[type[QuerySet[M]], type[M]] | None = None
        self._local = threading.local()

    def queryset(self, **key: Any) -> QuerySet[M]:
        queryset = self._build(**key)
        self._shape = (type(queryset), queryset.model)
        return queryset

    def queryset_class(self, **key: Any) -> type[QuerySet[M]]:
        """The class of the queryset it builds (the model's QuerySet, which may say a `town_path`)."""
        if self._shape is None:
            self.queryset(**key)
        return self._shape[0]

    def model(self, **key: Any) -> type[M]:
        if self._shape is None:
            self.queryset(**key)
        return self._shape[1]

    def rows(self, **key: Any) -> list[M]:
        values = list(key.values())
        alias = router.db_for_read(self.model(**key))
        held = self._local.__dict__
        entry = held.get(alias, False)
        if entry is False:
            entry = held[alias] = self._hold(self._sliced(**key), values)
        if entry is None:  # not safe to hold: evaluated as Django does
            return list(self._sliced(**key).using(alias))
        return _instances(entry, alias, values)

    def _sliced(self, **key: Any) -> QuerySet[M]:
        queryset = self.queryset(**key)
        return queryset[: self._limit] if self._limit is not None else queryset

    @staticmethod
    def _hold(queryset: QuerySet, values: list) -> _Held | None:
        if queryset._iterable_class is not ModelIterable or queryset._known_related_objects:
            return None
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        positions = _key_positions(list(params), values)
        if positions is None or compiler.has_extra_select:
            return None
        return _Held(compiler, sql, list(params), positions, queryset.db)


class HeldLookup(HeldQuery[M]):
    """Rows of a small table each process holds (linju/core/versioned.py), found by key with no
    query: `find(**key)` gives the held row or None. `queryset(**key)` builds the same rows' query,
    for a reader that must ask the database after all (the scoping rule, for a viewer whose towns
    are not read yet)."""

    def __init__(self, build: Callable[..., QuerySet[M]], *, find: Callable[..., M | None]) -> None:
        super().__init__(build, limit=1)
        self._find = find

    def rows(self, **key: Any) -> list[M]:
        row = self._find(**key)
        return [] if row is None else [row]


def _key_positions(params: list, values: list) -> list[int] | None:
    """Where each of the key's values stands among the compiled parameters, when each stands at
    exactly one place of its own (the other parameters are the query's constants); else None."""
    positions = []
    for value in values:
        found = [i for i, param in enumerate(params) if type(param) is type(value) and param == value]
        if len(found) != 1 or found[0] in positions:
            return None
        positions.append(found[0])
    return positions


def _instances(held: _Held, alias: str, values: list) -> list:
    params = held.params.copy()
    for position, value in zip(held.positions, values, strict=True):
        params[position] = value
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(held.sql, params)
        rows = cursor.fetchall()
    if not rows:
        return []
    compiler = held.compiler
    if held.converters:
        rows = compiler.apply_converters(rows, held.converters)
    model = compiler.klass_info["model"]
    found = []
    for row in rows:
        obj = model.from_db(alias, held.init_list, row[held.model_start : held.model_end])
        for populator in held.populators:
            populator.populate(row, obj)
        for name, position in held.annotations:
            setattr(obj, name, row[position])
        found.append(obj)
    return found


class HeldInsert(Generic[M]):
    """A hot path's one-row insert, its SQL built once per thread and database: the row's values
    prepared as Django's own insert prepares them (each field's `pre_save`, then `get_db_prep_save`),
    the new key read back. Skips the rest of `Model.save()`, so it is for a model nobody listens to:
    when a `pre_save` or `post_save` receiver is connected, the row is saved the usual way."""

    def __init__(self, model: type[M]) -> None:
        self.model = model
        self._local = threading.local()

    def listened(self) -> bool:
        """Whether a receiver listens to the model's saves (then `save` saves the usual way)."""
        return signals.pre_save.has_listeners(self.model) or signals.post_save.has_listeners(self.model)

    def save(self, obj: M) -> M:
        model = self.model
        if self.listened():
            obj.save(force_insert=True)
            return obj
        alias = router.db_for_write(model, instance=obj)
        held = self._local.__dict__.get(alias)
        if held is None:
            held = self._local.__dict__[alias] = _held_insert(model, obj, alias)
        sql, compiler, preparing = held
        params = preparing.values(obj)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            (pk,) = connection.ops.fetch_returned_insert_columns(cursor, compiler.returning_params)
        obj.pk = pk
        obj._state.adding, obj._state.db = False, alias
        return obj


def _held_insert(model, obj, alias: str) -> tuple:
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
    query = InsertQuery(model)
    query.insert_values(fields, [obj])
    compiler = query.get_compiler(using=alias)
    compiler.returning_fields = [meta.pk]
    if not compiler.connection.features.can_return_columns_from_insert:  # pragma: no cover - PG, SQLite can
        raise NotImplementedError("HeldInsert needs a database that returns columns from an insert.")
    ((sql, _params),) = compiler.as_sql()
    return sql, compiler, _Preparing(compiler, fields)


class RowValues:
    """A model's row as Django's insert writes it, for a statement written by hand (an INSERT inside
    a WITH query, writing several tables in one statement): its columns, the SQL of each value (a
    placeholder, or an expression given for a column: `%s` in it takes the value), and each value
    prepared as the insert prepares it (the field's `pre_save`, then `get_db_prep_save`). Built once
    per thread and connection, like the held statements."""

    def __init__(self, model: type[Model], connection, expressions: dict[str, str] | None = None) -> None:
        meta = model._meta
        expressions = expressions or {}
        self.fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated]
        query = InsertQuery(model)
        query.insert_values(self.fields, [])
        self.compiler = query.get_compiler(connection=connection)
        self._preparing = _Preparing(self.compiler, self.fields)
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        self.sql = "(" + ", ".join(expressions.get(f.attname, "%s") for f in self.fields) + ")"
        # an expression with no placeholder of its own takes no value
        self._skip = {name for name, sql in expressions.items() if "%s" not in sql}
        self._positions = {
            name: i for i, name in enumerate(f.attname for f in self.fields if f.attname not in self._skip)
        }

    def values(self, obj: Model, **given: Any) -> list:
        """The values of `obj`'s row in column order; `given`: a value for a column's expression, or
        a column's value already prepared."""
        return self._preparing.values(obj, skip=self._skip, given=given)

    def value_of(self, values: list, name: str) -> Any:
        """The value of column `name` (an attname) among `values` (as `values` gives them)."""
        return values[self._positions[name]]


# How a column's value is prepared without Django's chain of calls (`pre_save`, `get_db_prep_save`,
# `get_db_prep_value`, `get_prep_value`, `to_python`), for the values that chain gives back as they
# are, or hands to the database's adapter as they are: a string for a text column, an int for an
# integer column or a key, a bool, a date, an aware datetime, None. Any other value (an expression, a
# lazy string, a naive datetime, an int for a text column) and any other field go the whole way.
_TEXT, _SAME, _INT, _DATE, _DATETIME = range(5)
_NONE = type(None)


def _shortcut(field: Field, ops: BaseDatabaseOperations) -> tuple[int, Any] | None:
    """(kind, what it needs) when `field`'s preparation can be taken in one step, else None. Decided
    by the methods the field's class uses: a class that overrides any of them goes the whole way."""
    kind = type(field)
    if kind.pre_save not in (Field.pre_save, DateField.pre_save, DateTimeField.pre_save):
        return None
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None
    if kind.get_db_prep_save is ForeignKey.get_db_prep_save:
        target = type(field.target_field)
        if (
            issubclass(target, AutoFieldMixin)
            and target.get_db_prep_save is Field.get_db_prep_save
            and target.get_db_prep_value is AutoFieldMixin.get_db_prep_value
            and target.get_prep_value is IntegerField.get_prep_value
            and type(ops).validate_autopk_value is BaseDatabaseOperations.validate_autopk_value
        ):
            return _SAME, (int, _NONE)
        return None
    if kind.get_db_prep_save is not Field.get_db_prep_save:
        return None
    prep, db_prep = kind.get_prep_value, kind.get_db_prep_value
    if db_prep is Field.get_db_prep_value and prep in (CharField.get_prep_value, TextField.get_prep_value):
        return _TEXT, None
    if db_prep is Field.get_db_prep_value and prep is BooleanField.get_prep_value:
        return _SAME, (bool, _NONE)
    if db_prep is IntegerField.get_db_prep_value and prep is IntegerField.get_prep_value:
        return _INT, field.get_internal_type()
    if (
        db_prep is DateTimeField.get_db_prep_value
        and prep is DateTimeField.get_prep_value
        and settings.USE_TZ
    ):
        return _DATETIME, None
    if db_prep is DateField.get_db_prep_value and prep is DateField.get_prep_value:
        return _DATE, None
    return None


class _Preparing:
    """A row's values prepared as Django's insert prepares them (`compiler.prepare_value` of the
    field's `pre_save`), in one step where the value allows it (`_shortcut`)."""

    def __init__(self, compiler, fields: list[Field]) -> None:
        self.compiler = compiler
        ops = compiler.connection.ops
        self.adapt_integer = ops.adapt_integerfield_value
        self.adapt_date = ops.adapt_datefield_value
        self.adapt_datetime = ops.adapt_datetimefield_value
        self.plan = [(field, field.attname, *(_shortcut(field, ops) or (None, None))) for field in fields]

    def values(self, obj: Model, *, skip=frozenset(), given=None) -> list:
        compiler, values, held = self.compiler, [], obj.__dict__
        for field, name, kind, needs in self.plan:
            if name in skip:
                continue
            if given and name in given:
                values.append(given[name])
                continue
            if kind is not None:
                value = held[name] if name in held else getattr(obj, name)
                if value is None:
                    if kind == _INT:
                        values.append(self.adapt_integer(None, needs))
                    elif kind == _DATE:
                        values.append(self.adapt_date(None))
                    elif kind == _DATETIME:
                        values.append(self.adapt_datetime(None))
                    else:
                        values.append(None)
                    continue
                if kind == _TEXT:
                    if isinstance(value, str):
                        values.append(value)
                        continue
                elif kind == _SAME:
                    if type(value) in needs:
                        values.append(value)
                        continue
                elif kind == _INT:
                    if type(value) is int:
                        values.append(self.adapt_integer(value, needs))
                        continue
                elif kind == _DATETIME:
                    if type(value) is datetime.datetime and value.utcoffset() is not None:
                        values.append(self.adapt_datetime(value))
                        continue
                elif type(value) is datetime.date:  # _DATE
                    values.append(self.adapt_date(value))
                    continue
            values.append(compiler.prepare_value(field, compiler.pre_save_val(field, obj)))
        return values


class BoundHere:
    """A hand-written statement with more values than psycopg keeps the shape of (over 50, or over
    4,000 characters), bound here. psycopg splits such a statement at its placeholders again on every
    execution (for the intake's 75 values, some 900 Python calls: an eighth of the request's); this
    splits it once, and each execution puts in each value as psycopg's client-side binding does (the
    literal the connection's adapters make, None as NULL) and sends the statement whole. PostgreSQL
    (psycopg 3) only; the statement holds no `%` but its `%s` placeholders."""

    def __init__(self, sql: str) -> None:
        if "%" in sql.replace("%s", ""):
            raise ValueError("A statement bound here holds no % but its %s placeholders.")
        self.sql = sql
        # per thread, for the connection it was made for: its adapters found for each kind of value
        # once (as a cursor keeps them across its executions), and the statement in its encoding
        self._local = threading.local()

    def bound(self, connection, params: list) -> str:
        """The statement with `params` in place, as `connection` (Django's, on PostgreSQL) would send it."""
        from psycopg.adapt import Transformer

        raw = connection.connection
        encoding = raw.info.encoding
        held = self._local.__dict__
        if held.get("raw") is not raw or held["encoding"] != encoding:
            held.update(
                raw=raw,
                encoding=encoding,
                template=self.sql.encode(encoding),
                literal=Transformer.from_context(raw).as_literal,
            )
        literal = held["literal"]
        # as psycopg binds: the literals put in the template's places (a count that differs raises)
        return (held["template"] % tuple([b"NULL" if v is None else literal(v) for v in params])).decode(
            encoding
        )

    def execute(self, cursor, params: list) -> None:
        """Execute on Django's cursor (`with connection.cursor() as cursor`), values bound here."""
        cursor.execute(self.bound(cursor.db, params))
