from django.db import migrations, models


class Migration(migrations.Migration):
    """One text per purpose, reference and phone, held by the database on the phone's blind index."""

    dependencies = [('notify', '0007_encrypt_existing_outbox_phones')]

    operations = [
        migrations.AddConstraint(
            model_name='outboxmessage',
            constraint=models.UniqueConstraint(condition=models.Q(('reference', ''), _negated=True), fields=('purpose', 'reference', 'phone_index'), name='one_text_per_purpose_reference_phone'),
        ),
    ]
