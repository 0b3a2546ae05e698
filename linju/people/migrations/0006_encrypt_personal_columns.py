import linju.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    """ID numbers, their last four characters and phones become encrypted columns with blind
    indexes beside them (linju/core/fields.py); the rows are converted by the next migration."""

    dependencies = [
        ("geo", "0008_servicepoint_operator_servicepoint_village_and_more"),
        ("people", "0005_bureau_key_ranges"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="person",
            name="person_id_number_18_chars",
        ),
        migrations.RemoveConstraint(
            model_name="resident",
            name="resident_id_number_18_chars",
        ),
        migrations.RemoveConstraint(
            model_name="resident",
            name="resident_id_number_per_bureau",
        ),
        migrations.AddField(
            model_name="person",
            name="id_number_index",
            field=linju.core.fields.BlindIndexField(source="id_number"),  # unique once filled (0008)
        ),
        migrations.AddField(
            model_name="resident",
            name="id_last4_index",
            field=linju.core.fields.BlindIndexField(db_index=True, source="id_last4"),
        ),
        migrations.AddField(
            model_name="resident",
            name="id_number_index",
            field=linju.core.fields.BlindIndexField(db_index=True, source="id_number"),
        ),
        migrations.AddField(
            model_name="resident",
            name="phone_index",
            field=linju.core.fields.BlindIndexField(db_index=True, source="phone"),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=linju.core.fields.EncryptedField(
                index="id_number_index", purpose="id_number", verbose_name="resident ID number"
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="id_last4",
            field=linju.core.fields.EncryptedField(
                index="id_last4_index", purpose="id_last4", verbose_name="last four ID characters"
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="id_number",
            field=linju.core.fields.EncryptedField(
                index="id_number_index", purpose="id_number", verbose_name="resident ID number"
            ),
        ),
        migrations.AlterField(
            model_name="resident",
            name="phone",
            field=linju.core.fields.EncryptedField(
                blank=True, index="phone_index", purpose="phone", verbose_name="phone"
            ),
        ),
    ]
