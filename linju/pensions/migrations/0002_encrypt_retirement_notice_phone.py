import linju.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    """The phone a retirement text went to becomes an encrypted column (linju/core/fields.py); the rows
    are converted by the next migration."""

    dependencies = [
        ('pensions', '0001_former_ages_and_retirement_texts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='retirementnotice',
            name='phone',
            field=linju.core.fields.EncryptedField(max_length=20, purpose='phone', verbose_name='phone'),
        ),
    ]
