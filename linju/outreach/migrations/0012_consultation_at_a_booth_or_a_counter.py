"""A consultation happens at a booth or at a counter (a service point), exactly one; it carries its
town, filled here for the booth questions already logged (their booth's market's town)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def town_of_the_booth(apps, schema_editor):
    Consultation = apps.get_model("outreach", "Consultation")
    for consultation in Consultation.objects.filter(town__isnull=True).select_related("booth__market"):
        consultation.town_id = consultation.booth.market.town_id
        consultation.save(update_fields=["town"])


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0017_encrypt_existing_phones_and_agent_id_numbers'),
        ('catalog', '0006_bundle_opens_before_retirement'),
        ('geo', '0008_servicepoint_operator_servicepoint_village_and_more'),
        ('outreach', '0011_consultation_slip_code'),
        ('people', '0008_unique_by_blind_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='consultation',
            name='service_point',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='geo.servicepoint', verbose_name='counter'),
        ),
        migrations.AddField(
            model_name='consultation',
            name='town',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='consultations', to='geo.town', verbose_name='town'),
        ),
        migrations.AlterField(
            model_name='consultation',
            name='booth',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='consultations', to='outreach.boothsession'),
        ),
        migrations.RunPython(town_of_the_booth, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='consultation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('booth__isnull', False), ('service_point__isnull', True)), models.Q(('booth__isnull', True), ('service_point__isnull', False)), _connector='OR'), name='consultation_at_a_booth_or_a_counter'),
        ),
    ]
