import linju.core.fields
from django.db import migrations


class Migration(migrations.Migration):
    """Staff's mobiles become an encrypted column (linju/core/fields.py); the rows are converted by the
    next migration."""

    dependencies = [
        ('accounts', '0003_user_mobile'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='mobile',
            field=linju.core.fields.EncryptedField(blank=True, help_text='For work reminders by text message (cases about to fall due).', max_length=20, purpose='phone', verbose_name='mobile'),
        ),
    ]
