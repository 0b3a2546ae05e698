import linju.core.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    """The outbox's phones become encrypted with a blind index beside them (linju/core/fields.py); the
    rows are converted by the next migration, the claim's uniqueness moves to the index after it."""

    dependencies = [
        ('geo', '0008_servicepoint_operator_servicepoint_village_and_more'),
        ('notify', '0005_gateway_receipts'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='outboxmessage',
            name='one_text_per_purpose_reference_phone',
        ),
        migrations.AddField(
            model_name='outboxmessage',
            name='phone_index',
            field=linju.core.fields.BlindIndexField(source='phone'),
        ),
        migrations.AlterField(
            model_name='outboxmessage',
            name='phone',
            field=linju.core.fields.EncryptedField(index='phone_index', max_length=20, purpose='phone', verbose_name='phone'),
        ),
    ]
