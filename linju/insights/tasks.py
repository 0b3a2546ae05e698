from huey.contrib.djhuey import db_task

from .models import ImportJob
from .services import import_execute


@db_task()
def run_import(job_id: int) -> str:
    """Background import; the page shows rows checked and saved as they go."""
    return import_execute(job=ImportJob.objects.get(pk=job_id)).status
