"""Signs of life come in from a workbook: each row a resident of the importer's towns, a kind, a day
not after today; bad rows are told in Chinese with their row and column, and nothing is saved."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone, translation
from openpyxl import Workbook

from linju.core.errors import PermissionDenied
from linju.insights.imports import columns_for
from linju.insights.services import import_execute, import_start
from linju.outreach.models import SignOfLife


def xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(["生存迹象导入"])  # a title row above the header, as offices write
    with translation.override("zh-hans"):
        sheet.append([str(c.label) for c in columns_for("signs")])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(actor, content, partial=False):
    with translation.override("zh-hans"):
        job = import_start(actor=actor, kind="signs", filename="医保.xlsx", content=content, partial=partial)
        import_execute(job=job)
    job.refresh_from_db()
    return job


def test_good_rows_are_saved_once_even_when_imported_twice(towns_and_staff):
    day = timezone.localdate() - datetime.timedelta(days=3)
    rows = [
        [towns_and_staff.dai.id_number, "医保报销", day, "医保结算系统 2026-11"],
        [towns_and_staff.dai.id_number, "银行", day.isoformat(), ""],
        [towns_and_staff.zhou.id_number, "社保卡", day.isoformat().replace("-", "/"), "社保卡中心"],
    ]
    job = run(towns_and_staff.staff, xlsx(rows))
    assert (job.status, job.rows_written, job.error_count) == ("done", 3, 0)
    assert run(towns_and_staff.staff, xlsx(rows)).status == "done"
    signs = SignOfLife.objects.order_by("kind")
    assert [(s.resident, s.kind, s.date, s.source, s.is_synthetic) for s in signs] == [
        (towns_and_staff.dai, "bank", day, "import", False),
        (towns_and_staff.zhou, "card", day, "import", False),
        (towns_and_staff.dai, "medical", day, "import", False),
    ]
    assert signs.get(kind="medical").source_note == "医保结算系统 2026-11"


def test_bad_rows_are_told_in_chinese_and_nothing_is_saved(towns_and_staff):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    rows = [
        [towns_and_staff.dai.id_number, "医保报销", timezone.localdate().isoformat(), ""],  # good
        ["500222190001010000", "医保报销", "2026-05-03", ""],  # nobody
        [towns_and_staff.dai.id_number, "买菜", "2026-05-03", ""],  # no such kind
        [towns_and_staff.dai.id_number, "银行", "五月三日", ""],  # not a date
        [towns_and_staff.dai.id_number, "银行", tomorrow.isoformat(), ""],  # after today
        [towns_and_staff.wansheng_resident.id_number, "银行", "2026-05-03", ""],  # another bureau's
    ]
    job = run(towns_and_staff.cadre, xlsx(rows))
    assert job.status == "rejected" and not SignOfLife.objects.exists()
    errors = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "没有这个身份证号的居民" in errors[(4, "身份证号")]
    assert "医保报销" in errors[(5, "迹象类型")]
    assert "2026-05-03" in errors[(6, "日期")]
    assert "晚于今天" in errors[(7, "日期")]
    assert (8, "身份证号") in errors  # not of the cadre's towns: the same words as nobody
    partial = run(towns_and_staff.cadre, xlsx(rows), partial=True)
    assert partial.rows_written == 1 and SignOfLife.objects.count() == 1


def test_a_leader_imports_no_signs(towns_and_staff):
    with pytest.raises(PermissionDenied):
        run(towns_and_staff.leader, xlsx([]))
