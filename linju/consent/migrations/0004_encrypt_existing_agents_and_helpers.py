from django.db import migrations

from linju.core.crypto import reencrypt_rows

HELPER = [("id_number", "id_number_index", "id_number"), ("phone", None, "phone")]
AUTHORISATION = [
    ("agent_id_number", "agent_id_number_index", "id_number"),
    ("agent_phone", None, "phone"),
]
TABLES = [("VillageHelper", HELPER), ("Authorisation", AUTHORISATION)]


def encrypt(apps, schema_editor):
    """Every helper's and agent's ID number and phone already held, encrypted under the current key (with its index, where it has one)."""
    for model, columns in TABLES:
        table = apps.get_model('consent', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000)


def decrypt(apps, schema_editor):
    for model, columns in TABLES:
        table = apps.get_model('consent', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000, to_plain=True)


class Migration(migrations.Migration):
    dependencies = [('consent', '0003_encrypt_agents_and_helpers')]

    operations = [migrations.RunPython(encrypt, decrypt)]
