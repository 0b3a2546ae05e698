"""Consent receipts are appended, never changed: PostgreSQL refuses an UPDATE or a DELETE of one,
whoever sends it (a trigger); SQLite, the development database, refuses an UPDATE (its test runner
empties tables with DELETE, which PostgreSQL's does with TRUNCATE)."""

from django.db import migrations

POSTGRES = [
    """
    CREATE FUNCTION consent_record_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'consent receipts are never changed or deleted: append a new one';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER consent_record_append_only BEFORE UPDATE OR DELETE ON consent_consentrecord
    FOR EACH ROW EXECUTE FUNCTION consent_record_append_only();
    """,
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS consent_record_append_only ON consent_consentrecord;",
    "DROP FUNCTION IF EXISTS consent_record_append_only();",
]
SQLITE = [
    """
    CREATE TRIGGER consent_record_no_update BEFORE UPDATE ON consent_consentrecord
    BEGIN SELECT RAISE(ABORT, 'consent receipts are never changed or deleted: append a new one'); END;
    """,
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS consent_record_no_update;",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def forwards(schema_editor) -> None:
    """The rule on a database whose tables were made from the models, not through this migration
    (the SQLite test database: conftest.py)."""
    _run({"postgresql": POSTGRES, "sqlite": SQLITE})(None, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_authorisations_and_consents")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        )
    ]
