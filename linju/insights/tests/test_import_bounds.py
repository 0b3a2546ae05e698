"""Spreadsheet imports within bounds: a workbook too big for memory is refused in words before
openpyxl reads it; the errors kept are cut to size and counted past a bound; a broken file or a
fault of Linju's own is said in plain words; a job whose worker died is run again once, and its
page never says 100 % before it is saved."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.utils import timezone, translation
from openpyxl import load_workbook

from linju.core.errors import DomainError
from linju.core.tests.workbooks import shared_strings_workbook
from linju.insights import imports, services, tasks, workbook_rows
from linju.insights.models import ImportJob
from linju.insights.services import STALLED_AFTER, import_execute, import_start
from linju.insights.tests.test_imports import person, run, xlsx
from linju.people.models import Resident

MB = 1024 * 1024


def pieces(characters: int, piece: str = "名" * 8192):
    for _ in range(characters // len(piece)):
        yield piece


def test_a_shared_string_longer_than_a_cell_refuses_the_file_before_openpyxl_reads_it(
    towns_and_staff, monkeypatch
):
    """A few KB that unpack to a 4 MB name: rejected in words; openpyxl never opened it."""
    content = shared_strings_workbook(
        [["姓名"], ["公民身份号码"], ["村(社区)"], pieces(4 * MB), ["荆山村"]], [[0, 1, 2], [3, 3, 4]]
    )
    assert len(content) < 100 * 1024

    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook over the limits")

    monkeypatch.setattr(workbook_rows, "load_workbook", never)
    job = run(towns_and_staff.cadre, content)
    assert (job.status, job.error_count, job.rows_written) == ("rejected", 1, 0)
    assert "32767" in job.errors[0]["message"] and "单元格" in job.errors[0]["message"]


def test_a_string_table_too_big_to_unpack_is_refused_at_upload(towns_and_staff, settings, client):
    settings.LINJU_IMPORT_MAX_STRINGS_BYTES = MB
    content = shared_strings_workbook([["姓名"], pieces(2 * MB)], [[0], [1]])
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        import_start(actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=content)
    assert refused.value.field == "file" and "1 MB" in refused.value.text()
    client.force_login(towns_and_staff.cadre)
    page = client.post(
        "/staff/insights/imports/",
        {"kind": "residents", "file": SimpleUploadedFile("a.xlsx", content)},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert page.status_code == 400 and "1 MB" in page.content.decode()
    assert not ImportJob.objects.exists()


def test_a_long_cell_is_kept_in_the_errors_cut_short_and_the_page_stays_light(towns_and_staff, client):
    """A 60 KB cell (20,000 characters, within a cell's limit) that the row's error quotes: the
    value and the message are kept cut, and the page that lists them stays small."""
    header = ["公民身份号码", "文化程度", "技能", "最长通勤(分钟)", "班次", "期望月薪(元)"]
    skills = "飞" * 20_000
    rows = [[towns_and_staff.dai.id_number, "初中", skills, "60", "白班", "4000"]]
    job = run(towns_and_staff.cadre, xlsx(rows, header=header), kind="seekers")
    assert job.status == "rejected"
    quoted = next(e for e in job.errors if e["column"] == "技能")
    assert len(quoted["value"]) <= workbook_rows.VALUE_CHARS and quoted["value"].endswith("…")
    assert len(quoted["message"]) <= workbook_rows.MESSAGE_CHARS and "飞飞飞" in quoted["message"]
    client.force_login(towns_and_staff.cadre)
    page = client.get(f"/staff/insights/imports/{job.pk}/")
    assert page.status_code == 200 and len(page.content) < 40_000


def test_the_errors_kept_are_bounded_and_the_rest_counted(towns_and_staff, client, monkeypatch):
    monkeypatch.setattr(workbook_rows, "KEPT_ERRORS", 5)
    job = run(towns_and_staff.cadre, xlsx([person(i, village="不存在村") for i in range(12)]))
    assert (job.status, job.error_count, len(job.errors)) == ("rejected", 12, 5)
    client.force_login(towns_and_staff.cadre)
    page = client.get(f"/staff/insights/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "共 12 处" in page and "前 5 处" in page
    sheet = load_workbook(BytesIO(client.get(f"/staff/insights/imports/{job.pk}/errors.xlsx").content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert len(values) == 1 + 5 + 1 and "7" in values[-1][3]


def test_a_sheet_openpyxl_cannot_read_is_rejected_in_plain_words(towns_and_staff):
    """A cell naming a shared string that is not there made openpyxl say "list index out of range";
    the page says the file cannot be read."""
    content = shared_strings_workbook([["姓名"], ["公民身份号码"]], [[0, 1], [0, 9]])
    job = run(towns_and_staff.cadre, content)
    assert job.status == "rejected" and job.errors[0]["message"].startswith("无法读取这个文件")
    assert "index" not in job.errors[0]["message"]


def test_a_fault_of_linjus_own_is_said_in_words_never_the_databases_text(towns_and_staff, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError('value too long for type character varying(200) CONTEXT: COPY "people_resident"')

    monkeypatch.setattr(imports, "check_residents", broken)
    with translation.override("zh-hans"):
        job = import_start(
            actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=xlsx([person(1)])
        )
        with pytest.raises(DatabaseError):
            import_execute(job=job)
    job.refresh_from_db()
    assert job.status == "failed" and "管理员" in job.errors[0]["message"]
    assert "varying" not in job.errors[0]["message"] and str(job.pk) in job.errors[0]["message"]


# A worker that dies ---------------------------------------------------------------------------------


def died(job: ImportJob, *, attempts: int, status="checking", rows_checked=22_000) -> None:
    """As a worker killed in the middle leaves its job: running, its heartbeat old."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        attempts=attempts,
        rows_total=120_000,
        rows_checked=rows_checked,
        updated_at=timezone.now() - STALLED_AFTER - datetime.timedelta(seconds=1),
    )


def test_an_import_whose_worker_died_is_run_again_once_and_finishes(towns_and_staff):
    job = import_start(
        actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=xlsx([person(1), person(2)])
    )
    fresh = import_start(
        actor=towns_and_staff.cadre, kind="residents", filename="b.xlsx", content=xlsx([person(3)])
    )
    died(job, attempts=1)
    ImportJob.objects.filter(pk=fresh.pk).update(status="checking", attempts=1)  # alive: left alone
    assert tasks.retake_stalled_imports.call_local() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_total, job.rows_written) == ("done", 2, 2, 2)
    assert Resident.objects.filter(name__in=["测试1", "测试2"]).count() == 2
    assert ImportJob.objects.get(pk=fresh.pk).status == "checking"
    assert tasks.retake_stalled_imports.call_local() == []  # done: not taken again
    assert tasks.run_import(job.pk).get() == "done"  # sent twice, run once
    assert ImportJob.objects.get(pk=job.pk).attempts == 2
    assert Resident.objects.filter(name__in=["测试1", "测试2"]).count() == 2


def test_an_import_whose_worker_died_twice_is_failed_in_words(towns_and_staff, client):
    job = import_start(
        actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=xlsx([person(1)])
    )
    died(job, attempts=2, status="writing")
    client.force_login(towns_and_staff.cadre)
    page = client.get(f"/staff/insights/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "两次中断" in job.errors[0]["message"]
    assert "两次中断" in page and not Resident.objects.filter(name="测试1").exists()


def test_the_page_of_a_stalled_import_sends_it_to_a_worker_again(towns_and_staff, client):
    job = import_start(
        actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=xlsx([person(1)])
    )
    died(job, attempts=1)
    client.force_login(towns_and_staff.cadre)
    client.get(f"/staff/insights/imports/{job.pk}/")
    assert ImportJob.objects.get(pk=job.pk).status == "done"  # the test's worker runs at once


def test_a_worker_that_comes_back_after_its_job_was_taken_again_writes_nothing(towns_and_staff, monkeypatch):
    """The first worker falls silent in the middle of checking; its job is taken again and saved by
    another; when the first wakes, its next save finds the job no longer its own, and it stops."""
    job = import_start(
        actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=xlsx([person(1), person(2)])
    )
    check = imports.check_residents
    calls = []

    def first_falls_silent(actor, content, progress):
        calls.append(1)
        if len(calls) == 1:  # the first worker, silent: the sweep hands its job to the second
            died(ImportJob.objects.get(pk=job.pk), attempts=1, rows_checked=0)
            assert tasks.retake_stalled() == [job.pk]
        return check(actor, content, progress)

    monkeypatch.setattr(imports, "check_residents", first_falls_silent)
    assert import_execute(job=job).status == "done" and len(calls) == 2
    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_written) == ("done", 2, 2)
    assert Resident.objects.filter(name__in=["测试1", "测试2"]).count() == 2


def test_progress_is_known_from_the_start_and_never_100_before_the_rows_are_saved(
    towns_and_staff, monkeypatch
):
    """The rows are counted before the first is checked; every step a page could show is under
    100 % until the job is saved."""
    monkeypatch.setattr(imports, "BATCH", 8)
    seen = []
    save = services._save

    def watched(job, attempt, **fields):
        save(job, attempt, **fields)
        stored = ImportJob.objects.get(pk=job.pk)
        seen.append((stored.status, stored.rows_total, stored.rows_checked, stored.percent))

    monkeypatch.setattr(services, "_save", watched)
    job = run(towns_and_staff.cadre, xlsx([person(i) for i in range(30)]))
    assert (job.status, job.percent) == ("done", 100)
    assert all(total == 30 for _s, total, _c, _p in seen)
    running = [percent for status, _t, _c, percent in seen if status in ("checking", "writing")]
    assert len(running) > 4 and all(percent < 100 for percent in running)
    assert running == sorted(running)


def test_a_page_says_when_the_number_of_rows_is_not_known(towns_and_staff, client):
    job = import_start(
        actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=xlsx([person(1)])
    )
    ImportJob.objects.filter(pk=job.pk).update(status="checking", attempts=1, rows_checked=22_000)
    client.force_login(towns_and_staff.cadre)
    page = client.get(f"/staff/insights/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "尚不清楚" in page and "100%" not in page and 'value="100"' not in page
    ImportJob.objects.filter(pk=job.pk).update(rows_total=22_000)
    page = client.get(f"/staff/insights/imports/{job.pk}/").content.decode()
    assert "22000 / 22000" in page and 'value="50"' in page  # checked, none saved yet


class Killed(BaseException):
    """A worker's process killed: nothing of the run's own handling runs."""


@pytest.mark.heavy
def test_a_120000_row_import_killed_at_row_22000_is_taken_again_and_saved_once(towns_and_staff, monkeypatch):
    save = services._save
    shown = []

    def killed_at_22000(job, attempt, **fields):
        if attempt == 1 and fields.get("rows_checked", 0) >= 22_000:
            raise Killed
        save(job, attempt, **fields)
        shown.append(ImportJob.objects.get(pk=job.pk).percent)

    monkeypatch.setattr(services, "_save", killed_at_22000)
    content = xlsx(person(i) for i in range(120_000))
    job = import_start(actor=towns_and_staff.cadre, kind="residents", filename="a.xlsx", content=content)
    with pytest.raises(Killed):
        import_execute(job=job)
    job.refresh_from_db()
    assert (job.status, job.rows_total, job.percent) == ("checking", 120_000, 8)  # 20,000 of 120,000 checked
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - STALLED_AFTER)
    assert tasks.retake_stalled() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.rows_written) == ("done", 2, 120_000)
    assert all(percent < 100 for percent in shown[:-1]) and shown[-1] == 100
    assert (
        Resident.objects.filter(village=towns_and_staff.jingshan).values("id_number").distinct().count()
        == 120_001
    )
