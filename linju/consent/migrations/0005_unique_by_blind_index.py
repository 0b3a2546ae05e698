from django.db import migrations, models


class Migration(migrations.Migration):
    """One authorisation in force a pair, a relative's place once, a helper once a village: held by the
    database on the agents' and helpers' ID numbers' blind indexes."""

    dependencies = [('consent', '0004_encrypt_existing_agents_and_helpers')]

    operations = [
        migrations.AddIndex(
            model_name='authorisation',
            index=models.Index(fields=['principal', 'agent_id_number_index'], name='authorisation_pair'),
        ),
        migrations.AddConstraint(
            model_name='authorisation',
            constraint=models.UniqueConstraint(condition=models.Q(('family_place__isnull', False)), fields=('agent_id_number_index', 'family_place'), name='authorisation_family_place_once'),
        ),
        migrations.AddConstraint(
            model_name='authorisation',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'active')), fields=('principal', 'agent_id_number_index'), name='authorisation_one_in_force_per_pair'),
        ),
        migrations.AddConstraint(
            model_name='villagehelper',
            constraint=models.UniqueConstraint(fields=('village', 'id_number_index'), name='village_helper_once'),
        ),
    ]
