from django.db import migrations

from linju.core.crypto import reencrypt_rows

TABLES = [("OutboxMessage", [("phone", "phone_index", "phone")])]


def encrypt(apps, schema_editor):
    """Every phone of the outbox already held, encrypted under the current key (with its index, where it has one)."""
    for model, columns in TABLES:
        table = apps.get_model('notify', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000)


def decrypt(apps, schema_editor):
    for model, columns in TABLES:
        table = apps.get_model('notify', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000, to_plain=True)


class Migration(migrations.Migration):
    dependencies = [('notify', '0006_encrypt_outbox_phone')]

    operations = [migrations.RunPython(encrypt, decrypt)]
