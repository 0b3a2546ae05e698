"""Each case records the phone its applicant gave for it, and its texts go there. Cases taken before
hold the phone their texts went to until now: the applicant's registered one."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def copy_registered_phones(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Resident = apps.get_model("people", "Resident")
    Case.objects.update(
        applicant_phone=Coalesce(
            Subquery(Resident.objects.filter(pk=OuterRef("applicant_id")).values("phone")[:1]), Value("")
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_case_taken_at_booth"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="applicant_phone",
            field=models.CharField(
                blank=True, max_length=20, verbose_name="applicant's phone for this case"
            ),
        ),
        migrations.RunPython(copy_registered_phones, migrations.RunPython.noop),
    ]
