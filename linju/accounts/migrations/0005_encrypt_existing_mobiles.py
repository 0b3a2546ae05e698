from django.db import migrations

from linju.core.crypto import reencrypt_rows

TABLES = [("User", [("mobile", None, "phone")])]


def encrypt(apps, schema_editor):
    """Every staff member's mobile already held, encrypted under the current key (with its index, where it has one)."""
    for model, columns in TABLES:
        table = apps.get_model('accounts', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000)


def decrypt(apps, schema_editor):
    for model, columns in TABLES:
        table = apps.get_model('accounts', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000, to_plain=True)


class Migration(migrations.Migration):
    dependencies = [('accounts', '0004_encrypt_mobile')]

    operations = [migrations.RunPython(encrypt, decrypt)]
