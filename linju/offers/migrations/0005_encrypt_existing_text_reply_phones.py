from django.db import migrations

from linju.core.crypto import reencrypt_rows

TABLES = [("TextReply", [("phone", "phone_index", "phone")])]


def encrypt(apps, schema_editor):
    """Every phone of the texts received already held, encrypted under the current key (with its index, where it has one)."""
    for model, columns in TABLES:
        table = apps.get_model('offers', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000)


def decrypt(apps, schema_editor):
    for model, columns in TABLES:
        table = apps.get_model('offers', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000, to_plain=True)


class Migration(migrations.Migration):
    dependencies = [('offers', '0004_encrypt_text_reply_phone')]

    operations = [migrations.RunPython(encrypt, decrypt)]
