import linju.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    """The phone of a text received becomes an encrypted column with its blind index beside it
    (linju/core/fields.py); the rows are converted by the next migration."""

    dependencies = [
        ('offers', '0003_texts_residents_send_back'),
    ]

    operations = [
        migrations.AddField(
            model_name='textreply',
            name='phone_index',
            field=linju.core.fields.BlindIndexField(db_index=True, source='phone'),
        ),
        migrations.AlterField(
            model_name='textreply',
            name='phone',
            field=linju.core.fields.EncryptedField(index='phone_index', max_length=20, purpose='phone', verbose_name='phone'),
        ),
    ]
