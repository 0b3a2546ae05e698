import linju.core.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    """Uniqueness of ID numbers (per bureau in the registry, once in the directory) held by the
    database on their blind indexes."""

    dependencies = [("people", "0007_encrypt_existing_rows")]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="id_number_index",
            field=linju.core.fields.BlindIndexField(source="id_number", unique=True),
        ),
        migrations.AddConstraint(
            model_name="resident",
            constraint=models.UniqueConstraint(
                fields=("bureau", "id_number_index"), name="resident_id_number_per_bureau"
            ),
        ),
    ]
