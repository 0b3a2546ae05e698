from django.db import migrations

from linju.core.crypto import reencrypt_rows

CASE = [
    ("applicant_phone", None, "phone"),
    ("agent_phone", None, "phone"),
    ("agent_id_number", None, "id_number"),
]
BUNDLE_CASE = [("applicant_phone", None, "phone"), ("agent_phone", None, "phone")]
TABLES = [("Case", CASE), ("BundleCase", BUNDLE_CASE)]


def encrypt(apps, schema_editor):
    """Every case's and bundle case's phones and agent's ID number already held, encrypted under the current key (with its index, where it has one)."""
    for model, columns in TABLES:
        table = apps.get_model('cases', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000)


def decrypt(apps, schema_editor):
    for model, columns in TABLES:
        table = apps.get_model('cases', model)._meta.db_table
        reencrypt_rows(schema_editor.connection, table, columns, batch=5000, to_plain=True)


class Migration(migrations.Migration):
    dependencies = [('cases', '0016_encrypt_phones_and_agent_id_numbers')]

    operations = [migrations.RunPython(encrypt, decrypt)]
