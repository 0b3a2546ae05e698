from django.db import migrations

from linju.core.crypto import reencrypt_rows

RESIDENT = [
    ("id_number", "id_number_index", "id_number"),
    ("id_last4", "id_last4_index", "id_last4"),
    ("phone", "phone_index", "phone"),
]
PERSON = [("id_number", "id_number_index", "id_number")]


def encrypt(apps, schema_editor):
    """Every ID number and phone already held, encrypted under the current key with its index."""
    connection = schema_editor.connection
    reencrypt_rows(connection, apps.get_model("people", "Resident")._meta.db_table, RESIDENT, batch=5000)
    reencrypt_rows(connection, apps.get_model("people", "Person")._meta.db_table, PERSON, batch=5000)


def decrypt(apps, schema_editor):
    connection = schema_editor.connection
    for model, columns in (("Resident", RESIDENT), ("Person", PERSON)):
        table = apps.get_model("people", model)._meta.db_table
        reencrypt_rows(connection, table, columns, batch=5000, to_plain=True)


class Migration(migrations.Migration):
    dependencies = [("people", "0006_encrypt_personal_columns")]

    operations = [migrations.RunPython(encrypt, decrypt)]
