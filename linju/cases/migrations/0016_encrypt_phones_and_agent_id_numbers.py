import linju.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    """The phones a case or bundle case is given and the agent's ID number become encrypted columns
    (linju/core/fields.py), without blind indexes: never looked up by; the rows are converted by the
    next migration."""

    dependencies = [
        ('cases', '0015_ratings_callbacks_and_appeals'),
    ]

    operations = [
        migrations.AlterField(
            model_name='bundlecase',
            name='agent_phone',
            field=linju.core.fields.EncryptedField(blank=True, max_length=20, purpose='phone', verbose_name="agent's phone"),
        ),
        migrations.AlterField(
            model_name='bundlecase',
            name='applicant_phone',
            field=linju.core.fields.EncryptedField(blank=True, max_length=20, purpose='phone', verbose_name="applicant's phone for this case"),
        ),
        migrations.AlterField(
            model_name='case',
            name='agent_id_number',
            field=linju.core.fields.EncryptedField(blank=True, max_length=18, purpose='id_number', verbose_name="agent's ID number"),
        ),
        migrations.AlterField(
            model_name='case',
            name='agent_phone',
            field=linju.core.fields.EncryptedField(blank=True, max_length=20, purpose='phone', verbose_name="agent's phone"),
        ),
        migrations.AlterField(
            model_name='case',
            name='applicant_phone',
            field=linju.core.fields.EncryptedField(blank=True, max_length=20, purpose='phone', verbose_name="applicant's phone for this case"),
        ),
    ]
