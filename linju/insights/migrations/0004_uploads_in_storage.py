import django.db.models
from django.core.files.base import ContentFile
from django.db import migrations

import linju.insights.models


def _content_to_storage(apps, schema_editor):
    """Workbooks uploaded before the storage held them: written out there, one by one."""
    ImportJob = apps.get_model("insights", "ImportJob")
    for job in ImportJob.objects.filter(upload="").only("pk", "bureau_id", "content").iterator(chunk_size=50):
        job.upload.save("upload.xlsx", ContentFile(bytes(job.content)), save=False)
        ImportJob.objects.filter(pk=job.pk).update(upload=job.upload.name)


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_bureau_key_required")]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="upload",
            field=django.db.models.FileField(
                default="", editable=False, max_length=200, upload_to=linju.insights.models.import_upload_path
            ),
            preserve_default=False,
        ),
        migrations.RunPython(_content_to_storage, migrations.RunPython.noop),
        migrations.RemoveField(model_name="importjob", name="content"),
    ]
