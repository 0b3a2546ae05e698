"""Exports built by a worker into the file storage, downloaded by the one who asked."""

import datetime
from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from linju.audit.exports import export_build, export_start, exports_expire
from linju.audit.models import AuditEvent, ExportJob
from linju.audit.tests.exports import exported
from linju.core.errors import NotFound
from linju.core.request_context import RequestContext


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the files go to a folder of the test's own


def test_the_button_queues_a_job_the_worker_builds_it_into_the_storage(client, towns_and_staff):
    client.force_login(towns_and_staff.cadre)
    response = client.post(reverse("people:export"), {"q": ""})
    assert response.status_code == 303  # to the job's page, so a reload does not export again
    job = ExportJob.objects.get()
    assert (
        job.status == "done"
        and job.requested_by == towns_and_staff.cadre
        and job.bureau == towns_and_staff.cadre.bureau
    )
    assert job.file.name == f"exports/{job.bureau_id}/{job.token}.xlsx"  # the name tells nothing
    assert default_storage.exists(job.file.name)
    page = client.get(response.url).content.decode()
    assert reverse("audit:export-file", args=[job.token]) in page and "行" in page
    sheet = load_workbook(BytesIO(exported(client, response))).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert towns_and_staff.dai.name in names and towns_and_staff.dai.id_number not in str(list(sheet.values))
    event = AuditEvent.objects.get(action="exported")  # recorded once, when it was built
    assert event.actor == towns_and_staff.cadre and event.ip_address == "127.0.0.1"


def test_only_the_one_who_asked_downloads_it(client, towns_and_staff):
    client.force_login(towns_and_staff.cadre)
    response = client.post(reverse("people:export"), {"q": ""})
    job = ExportJob.objects.get()
    client.force_login(towns_and_staff.staff)  # a colleague of the same bureau
    assert client.get(response.url).status_code == 404
    assert client.get(reverse("audit:export-file", args=[job.token])).status_code == 404
    client.logout()
    assert client.get(reverse("audit:export-file", args=[job.token])).status_code == 302  # sign in


def test_refusals_and_bad_filters_are_answered_at_once_and_queue_nothing(client, towns_and_staff):
    client.force_login(towns_and_staff.leader)
    assert client.post(reverse("people:export"), {"q": ""}).status_code == 403
    client.force_login(towns_and_staff.cadre)
    assert client.post("/staff/cases/export/", {"taken": "2026-13"}).status_code == 400
    assert client.post("/staff/insights/export/nothing.xlsx").status_code == 404
    assert not ExportJob.objects.exists()


def test_a_job_is_built_once_though_two_workers_are_handed_it(towns_and_staff):
    job = export_start(
        viewer=towns_and_staff.cadre, kind="residents", params={"q": ""}, context=RequestContext()
    )
    first = export_build(job_id=job.pk)
    second = export_build(job_id=job.pk)  # a retry, or a second consumer
    assert first.status == second.status == "done" and second.file.name == first.file.name
    assert AuditEvent.objects.filter(action="exported").count() == 1


def test_a_refusal_when_built_fails_the_job_in_plain_words(towns_and_staff):
    job = export_start(
        viewer=towns_and_staff.cadre, kind="residents", params={"q": ""}, context=RequestContext()
    )
    towns_and_staff.cadre.role = "leader"  # their role changed before a worker took it
    towns_and_staff.cadre.save()
    done = export_build(job_id=job.pk)
    assert done.status == "failed" and done.error and not done.file
    assert not AuditEvent.objects.exists()


def test_params_are_bounded(towns_and_staff):
    job = export_start(
        viewer=towns_and_staff.cadre,
        kind="residents",
        params={"q": "王" * 500, **{f"k{i}": "x" for i in range(50)}},
        context=RequestContext(),
    )
    assert len(job.params["q"]) == 40 and len(job.params) <= 12
    with pytest.raises(NotFound):
        export_start(viewer=towns_and_staff.cadre, kind="no-such", params={}, context=RequestContext())


def test_exports_are_deleted_with_their_files_after_a_day(towns_and_staff):
    job = export_build(
        job_id=export_start(
            viewer=towns_and_staff.cadre, kind="residents", params={}, context=RequestContext()
        ).pk
    )
    name = job.file.name
    assert exports_expire() == 0
    assert exports_expire(now=timezone.now() + datetime.timedelta(hours=25)) == 1
    assert not ExportJob.objects.exists() and not default_storage.exists(name)
