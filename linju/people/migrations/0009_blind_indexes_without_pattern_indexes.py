import linju.core.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    """The blind index columns indexed once each, as equality needs: the LIKE pattern indexes
    Django added beside them on PostgreSQL (never used: a blind index is only compared whole)
    dropped, and the registry's own index on the number folded into its uniqueness per bureau,
    the number first. Every insert of a resident writes four index entries fewer. The indexes
    are built again once (seconds for a million residents)."""

    dependencies = [
        ("geo", "0008_servicepoint_operator_servicepoint_village_and_more"),
        ("people", "0008_unique_by_blind_index"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="resident", name="resident_id_number_per_bureau"),
        migrations.AlterField(
            model_name="person",
            name="id_number_index",
            field=linju.core.fields.BlindIndexField(source="id_number"),
        ),
        migrations.AlterField(
            model_name="resident",
            name="id_last4_index",
            field=linju.core.fields.BlindIndexField(source="id_last4"),
        ),
        migrations.AlterField(
            model_name="resident",
            name="id_number_index",
            field=linju.core.fields.BlindIndexField(source="id_number"),
        ),
        migrations.AlterField(
            model_name="resident",
            name="phone_index",
            field=linju.core.fields.BlindIndexField(source="phone"),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["id_last4_index"], name="resident_last4_index"),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["phone_index"], name="resident_phone_index"),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(fields=("id_number_index",), name="person_id_number_once"),
        ),
        migrations.AddConstraint(
            model_name="resident",
            constraint=models.UniqueConstraint(
                fields=("id_number_index", "bureau"), name="resident_id_number_per_bureau"
            ),
        ),
    ]
