from django.db import migrations

from linju.core.crypto import reencrypt_rows

TABLES = [("RetirementNotice", [("phone", None, "phone")])]


def encrypt(apps, schema_editor):
    """Every phone a retirement text went to, encrypted under the current key (with its index, where it has one)."""
    for model, columns in TABLES:
        table = apps.get_model('pensions', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000)


def decrypt(apps, schema_editor):
    for model, columns in TABLES:
        table = apps.get_model('pensions', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000, to_plain=True)


class Migration(migrations.Migration):
    dependencies = [('pensions', '0002_encrypt_retirement_notice_phone')]

    operations = [migrations.RunPython(encrypt, decrypt)]
