"""For tests of export buttons: follow the job's page to its file."""

from django.urls import reverse

from linju.audit.models import ExportJob


def exported(client, response) -> bytes:
    """The workbook an export button led to (huey runs the job at once in the tests)."""
    assert response.status_code == 303, response.status_code
    token = response.url.rstrip("/").split("/")[-1]
    job = ExportJob.objects.get(token=token)
    assert job.status == ExportJob.Status.DONE, job.error
    assert client.get(response.url).status_code == 200
    download = client.get(reverse("audit:export-file", args=[token]))
    assert download.status_code == 200
    return b"".join(download.streaming_content)
