"""The Qijiang demo, loaded once per test session and copied into each test that asks for it.

`load_demo` takes 10–40 s; two dozen tests stand on it. The first test that asks for `demo` loads it
into the (empty) test database, copies every table into a template (a schema on PostgreSQL, an
attached file on SQLite) and empties the database again. Each test that asks for `demo` then gets the
template's rows inserted into its empty database: a fraction of a second, inside the test's own
transaction (rolled back after it) or, for browser tests, committed and flushed after it as usual.

The rows are copied with their ids, so foreign keys, content types and sequences line up; the
sequences are moved past the copied ids on PostgreSQL. Tests that check `load_demo` itself (its
counts, its idempotence) still run the command.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from linju.core import versioned

# One size for every test that stands on the demo: every state and channel of case appears (150 cases),
# discovery finds people in 永新镇, and a copy takes well under a second.
DEMO_RESIDENTS = 1500
DEMO_CASES = 150
SCHEMA = "linju_demo_template"
# tables whose rows a trigger keeps from DELETE (consent receipts are append-only): emptied by TRUNCATE
TRUNCATED_ONLY = {"consent_consentrecord"}


def _tables() -> list[tuple[str, list[str]]]:
    """(table, columns written by the application) for every table the models own."""
    tables = []
    seen = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        columns = [f.column for f in meta.local_concrete_fields if not getattr(f, "generated", False)]
        tables.append((meta.db_table, columns))
    return tables


def _quoted(names) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def _template_file() -> Path:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = Path(settings.BASE_DIR) / "var" / f"demo-template-{worker}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _attach(cursor) -> None:
    """Attach the SQLite template file to this connection, once (a new connection needs it again)."""
    cursor.execute("PRAGMA database_list")
    if "linju_template" not in {row[1] for row in cursor.fetchall()}:
        cursor.execute("ATTACH DATABASE %s AS linju_template", [str(_template_file())])


def _save_template() -> None:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            cursor.execute(f"CREATE SCHEMA {SCHEMA}")
            prefix = SCHEMA
        else:
            path = _template_file()
            path.unlink(missing_ok=True)
            _attach(cursor)
            prefix = "linju_template"
        for table, columns in _tables():
            cursor.execute(f"CREATE TABLE {prefix}.{q(table)} AS SELECT {_quoted(columns)} FROM {q(table)}")


def _restore_template() -> None:
    """Replace every row of the test database by the template's (one transaction; foreign keys are
    checked at its end)."""
    q = connection.ops.quote_name
    tables = _tables()
    prefix = SCHEMA if connection.vendor == "postgresql" else "linju_template"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            _attach(cursor)
    with transaction.atomic(), connection.cursor() as cursor:
        _empty(cursor, tables)
        for table, columns in tables:
            cursor.execute(
                f"INSERT INTO {q(table)} ({_quoted(columns)}) SELECT {_quoted(columns)} FROM {prefix}.{q(table)}"
            )
        if connection.vendor == "postgresql":
            models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    _forget_cached_rows()


def _empty(cursor, tables) -> None:
    """Every row of the test database deleted (inside the caller's transaction). DELETE, not one
    TRUNCATE of every table: on PostgreSQL that makes each table's files anew (2–3 s a test here),
    where the empty tables of a test take a DELETE in microseconds. The foreign keys wait for the end
    of the transaction, so the order does not matter."""
    q = connection.ops.quote_name
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in TRUNCATED_ONLY:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {q(table)})")
            if cursor.fetchone()[0]:
                cursor.execute(f"TRUNCATE {q(table)}")
    for table, _columns in tables:
        if table not in TRUNCATED_ONLY or connection.vendor != "postgresql":
            cursor.execute(f"DELETE FROM {q(table)}")


def _forget_cached_rows() -> None:
    ContentType.objects.clear_cache()
    cache.clear()
    versioned.forget_all()


@pytest.fixture(scope="session")
def demo_template(django_db_setup, django_db_blocker):
    """Load the demo once for this test process and keep it as a template (see the module's docstring)."""
    with django_db_blocker.unblock():
        call_command(
            "load_demo", "--residents", str(DEMO_RESIDENTS), "--cases", str(DEMO_CASES), stdout=io.StringIO()
        )
        _save_template()
        call_command("flush", interactive=False, verbosity=0)
        _forget_cached_rows()
    return True


@pytest.fixture
def demo(demo_template, db):
    """The Qijiang demo (real towns and villages, synthetic everything else), fresh for this test."""
    _restore_template()
    yield
    _forget_cached_rows()


# the modules whose rows are committed for the time of their tests, and the module-scoped fixture
# that committed them (`demo_for_module`, or a module's own through `rows_for_module`)
_modules_sharing_rows: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _shared_rows_read_only_by_their_own(request):
    """In a module that shares committed rows, a test that touches the database without standing on
    them would find them where it expects an empty database: refused, with what to do."""
    owner = _modules_sharing_rows.get(request.module.__name__)
    if owner and owner not in request.fixturenames:
        if {"db", "transactional_db", "django_db_setup"} & set(request.fixturenames):
            pytest.fail(
                f"This module shares rows committed by {owner}: a test of it that touches the database "
                f"stands on {owner} (demo_read for the demo), or moves to a module of its own."
            )


@contextlib.contextmanager
def rows_for_module(request, django_db_blocker, load):
    """`load()` committed once for the module of a module-scoped fixture, and the database flushed when
    the module is done; each test's own writes are still rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load()
    _modules_sharing_rows[request.module.__name__] = request.fixturename
    try:
        yield
    finally:
        del _modules_sharing_rows[request.module.__name__]
        with django_db_blocker.unblock():
            # as after a test that commits: emptied, with the content types and permissions made anew
            call_command("flush", interactive=False, verbosity=0)
            _forget_cached_rows()


@pytest.fixture(scope="module")
def demo_for_module(request, demo_template, django_db_blocker):
    """The demo committed once for a module whose tests read it (the admin's lists for every table,
    the scoping of every model). A restore for each of 80 such tests cost a minute and a half of a
    PostgreSQL pass."""
    with rows_for_module(request, django_db_blocker, _restore_template):
        yield


@pytest.fixture
def demo_read(demo_for_module, db):
    """The demo for a test that reads it: shared by its module's tests (`demo_for_module`); what the
    test writes is rolled back after it, as with `demo`."""
