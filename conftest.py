"""Fixtures shared by every app's tests and the browser tests.

`make test` runs the suite as it is; `make test-all` adds `--heavy`: the checks of scale (tests
marked `heavy`, such as a 100,000-row import) and the browser journeys at desktop size as well as
at phone size. Checks of settings that start Django in a process of their own and read no database
(marked `settings_only`), tests that cannot reach a database at all (no `django_db` mark, no
fixture that opens one: the same code runs whatever DATABASE_URL says), and the browser journeys
(`e2e/`: what they prove is the pages, the databases' differences are the unit tests'), run once in
`make test`, in its SQLite pass; `make test-all` runs them in both.
"""

import importlib
import os

import pytest

from linju.conftest_demo import (  # noqa: F401  (the Qijiang demo, loaded once per process)
    TRUNCATED_ONLY,
    _shared_rows_read_only_by_their_own,
    demo,
    demo_for_module,
    demo_read,
    demo_template,
)
from linju.conftest_world import (  # noqa: F401  (the small worlds: towns, residents, staff; items, places)
    served,
    towns_and_staff,
)
from linju.core.request_context import RequestContext


def pytest_addoption(parser):
    parser.addoption(
        "--heavy",
        action="store_true",
        help="also the checks of scale and the browser journeys at desktop size (make test-all)",
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--heavy"):
        return
    second_pass = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    kept, left = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        desktop = callspec is not None and callspec.params.get("page") == "desktop"
        journey = item.nodeid.startswith("e2e/") or item.get_closest_marker("e2e")
        once = second_pass and (
            journey or item.get_closest_marker("settings_only") or _reads_no_database(item)
        )
        (left if desktop or once or item.get_closest_marker("heavy") else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


# the fixtures through which a test reaches a database (pytest-django's)
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def _reads_no_database(item) -> bool:
    """pytest-django refuses a database to a test without its mark or one of its fixtures."""
    return not item.get_closest_marker("django_db") and not DATABASE_FIXTURES & set(
        getattr(item, "fixturenames", ())
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database as pytest-django makes it; where it was built from the models rather than
    through the migrations (SQLite, config/settings/test.py), with the rule a migration adds by hand:
    consent receipts are never changed."""
    from django.db import connection

    if connection.settings_dict["TEST"].get("MIGRATE", True):
        return
    rule = importlib.import_module("linju.consent.migrations.0002_consent_records_append_only")
    with django_db_blocker.unblock(), connection.schema_editor() as editor:
        rule.forwards(editor)


@pytest.fixture(scope="session", autouse=True)
def _tables_emptied_by_delete_on_postgresql():
    """After a test that commits (`transaction=True`), pytest-django empties every table; on
    PostgreSQL Django does it with one TRUNCATE of all 150 tables, which makes each table's files anew
    (0.6–0.9 s a test here). DELETE of the few rows such a test leaves takes a few milliseconds: the
    foreign keys are deferred to the commit, so the order does not matter. Sequences asked to restart,
    and the append-only tables, keep Django's TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        kept = [table for table in tables if table in TRUNCATED_ONLY]
        deleted = [
            f"DELETE FROM {self.quote_name(table)};" for table in tables if table not in TRUNCATED_ONLY
        ]
        return [
            "SET CONSTRAINTS ALL DEFERRED;",
            *deleted,
            *truncate(self, style, kept, allow_cascade=allow_cascade),
        ]

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = truncate


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Nothing held from one test to the next: the cache, and the tables each process holds."""
    from django.core.cache import cache

    from linju.core import versioned

    cache.clear()
    versioned.forget_all()


@pytest.fixture
def max_queries():
    """`with max_queries(8): ...` fails when the block sends more than 8 statements to the database,
    and lists them. The savepoints that stand in a test for a transaction's BEGIN and COMMIT (which a
    server's request does not count either) are left out."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def at_most(limit: int):
        with CaptureQueriesContext(connection) as captured:
            yield captured
        statements = [
            q["sql"]
            for q in captured.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        ]
        assert len(statements) <= limit, f"{len(statements)} queries, at most {limit} wanted:\n" + "\n".join(
            s[:200] for s in statements
        )

    return at_most


@pytest.fixture
def context() -> RequestContext:
    return RequestContext(ip="127.0.0.1", user_agent="pytest", path="/test")


@pytest.fixture
def huey_worker():
    """Jobs queued as on a real installation, not run inside the request (the suite's huey is in
    immediate mode): `queued()` lists what waits, `run()` works the queue off as a consumer would."""
    from huey.contrib.djhuey import HUEY

    class Worker:
        def queued(self) -> list[tuple[str, tuple]]:
            return [(task.name, task.args) for task in HUEY.pending()]

        def run(self) -> int:
            tasks = []
            while (task := HUEY.dequeue()) is not None:
                tasks.append(task)
            HUEY.immediate = True  # a consumer's run, without closing the test's connection
            try:
                for task in tasks:
                    HUEY.execute(task)
            finally:
                HUEY.immediate = False
            return len(tasks)

    HUEY.immediate = False
    try:
        yield Worker()
    finally:
        HUEY.immediate = True
