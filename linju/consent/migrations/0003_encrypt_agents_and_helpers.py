import django.core.validators
import linju.core.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Agents' and helpers' ID numbers and phones become encrypted columns, the ID numbers with blind
    indexes beside them (linju/core/fields.py); the rows are converted by the next migration, the
    uniqueness moves to the indexes in the one after."""

    dependencies = [
        ('catalog', '0006_bundle_opens_before_retirement'),
        ('consent', '0002_consent_records_append_only'),
        ('geo', '0008_servicepoint_operator_servicepoint_village_and_more'),
        ('people', '0008_unique_by_blind_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='authorisation',
            name='authorisation_agent_id_18_chars',
        ),
        migrations.RemoveConstraint(
            model_name='authorisation',
            name='authorisation_family_place_once',
        ),
        migrations.RemoveConstraint(
            model_name='authorisation',
            name='authorisation_one_in_force_per_pair',
        ),
        migrations.RemoveConstraint(
            model_name='villagehelper',
            name='village_helper_once',
        ),
        migrations.RemoveConstraint(
            model_name='villagehelper',
            name='village_helper_id_18_chars',
        ),
        migrations.RemoveIndex(
            model_name='authorisation',
            name='authorisation_pair',
        ),
        migrations.AddField(
            model_name='authorisation',
            name='agent_id_number_index',
            field=linju.core.fields.BlindIndexField(source='agent_id_number'),
        ),
        migrations.AddField(
            model_name='villagehelper',
            name='id_number_index',
            field=linju.core.fields.BlindIndexField(source='id_number'),
        ),
        migrations.AlterField(
            model_name='authorisation',
            name='agent_id_number',
            field=linju.core.fields.EncryptedField(index='agent_id_number_index', max_length=18, purpose='id_number', validators=[django.core.validators.MinLengthValidator(18)], verbose_name="agent's ID number"),
        ),
        migrations.AlterField(
            model_name='authorisation',
            name='agent_phone',
            field=linju.core.fields.EncryptedField(blank=True, max_length=20, purpose='phone', verbose_name="agent's phone"),
        ),
        migrations.AlterField(
            model_name='villagehelper',
            name='id_number',
            field=linju.core.fields.EncryptedField(index='id_number_index', max_length=18, purpose='id_number', validators=[django.core.validators.MinLengthValidator(18)], verbose_name='resident ID number'),
        ),
        migrations.AlterField(
            model_name='villagehelper',
            name='phone',
            field=linju.core.fields.EncryptedField(blank=True, max_length=20, purpose='phone', verbose_name='phone'),
        ),
    ]
