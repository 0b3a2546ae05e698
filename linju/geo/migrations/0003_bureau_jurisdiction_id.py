from django.db import migrations, models

KNOWN = {"綦江": "qijiang", "万盛经开区": "wansheng"}


def fill(apps, schema_editor):
    Bureau = apps.get_model("geo", "Bureau")
    for bureau in Bureau.objects.all():
        bureau.jurisdiction_id = KNOWN.get(bureau.zone, f"bureau-{bureau.pk}")
        bureau.save(update_fields=["jurisdiction_id"])


class Migration(migrations.Migration):
    dependencies = [("geo", "0002_servicepoint_working_day_hours")]

    operations = [
        migrations.AddField(
            model_name="bureau",
            name="jurisdiction_id",
            field=models.SlugField(max_length=40, null=True, db_index=False, verbose_name="jurisdiction id"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="bureau",
            name="jurisdiction_id",
            field=models.SlugField(
                help_text="Names the bureau in Open311 (jurisdiction_id).",
                max_length=40,
                unique=True,
                verbose_name="jurisdiction id",
            ),
        ),
    ]
