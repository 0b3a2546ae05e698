"""Every consultation now holds its town (0012 filled those logged at booths)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0008_servicepoint_operator_servicepoint_village_and_more"),
        ("outreach", "0012_consultation_at_a_booth_or_a_counter"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consultation",
            name="town",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consultations",
                to="geo.town",
                verbose_name="town",
            ),
        ),
    ]
