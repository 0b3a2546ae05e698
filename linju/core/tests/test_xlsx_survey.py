"""A workbook is measured before openpyxl reads it: each cell's length, the text of the sheet and
the size each part unpacks to, streamed, so a small file that unpacks to a huge string is refused in
plain words without the memory it would take."""

import tracemalloc
import zipfile
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from linju.core.tests.workbooks import NS, shared_strings_workbook
from linju.core.xlsx import WorkbookError, workbook_glance, workbook_survey

MB = 1024 * 1024


def long_string(characters: int, piece: str = "a" * 65536):
    """A string of `characters`, in pieces of 64 KB (never whole in memory)."""
    for _ in range(characters // len(piece)):
        yield piece


def test_a_workbook_as_excel_and_openpyxl_write_it_is_measured_and_read():
    excel = shared_strings_workbook([["姓名"], ["身份证号"], ["代云峰"]], [[0, 1], [2, 2], []])
    assert workbook_survey(excel) == 2  # the empty row is not counted
    assert list(load_workbook(BytesIO(excel), read_only=True).active.values)[:2] == [
        ("姓名", "身份证号"),
        ("代云峰", "代云峰"),
    ]
    workbook = Workbook()
    for serial in range(30):
        workbook.active.append([f"测试{serial}", "5002221980", 13912345678])
    buffer = BytesIO()
    workbook.save(buffer)
    assert workbook_survey(buffer.getvalue()) == 30


def test_a_shared_string_over_the_cell_limit_is_refused_in_words_in_little_memory():
    """4 MB of one character unpacks from a few KB: refused while reading its first 64 KB pieces,
    the memory used a small part of the string's size."""
    content = shared_strings_workbook([["姓名"], long_string(4 * MB)], [[0], [1]])
    assert len(content) < 64 * 1024
    tracemalloc.start()
    try:
        with translation.override("zh-hans"), pytest.raises(WorkbookError) as refused:
            workbook_survey(content)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "32767" in refused.value.text() and "字符" in refused.value.text()
    assert peak < MB


def test_a_string_table_that_unpacks_too_far_is_refused_from_the_zips_directory(settings):
    settings.LINJU_IMPORT_MAX_STRINGS_BYTES = MB
    settings.LINJU_IMPORT_MAX_CELL_CHARS = 4 * MB
    content = shared_strings_workbook([["姓名"], long_string(2 * MB)], [[0], [1]])
    with translation.override("zh-hans"), pytest.raises(WorkbookError) as refused:
        workbook_glance(content)
    assert "1 MB" in refused.value.text()
    settings.LINJU_IMPORT_MAX_STRINGS_BYTES = 4 * MB
    assert workbook_survey(content) == 2  # within the limits it is read


def test_more_text_in_the_sheet_than_an_import_takes_is_refused(settings):
    """One short string named by many cells is counted once per cell."""
    settings.LINJU_IMPORT_MAX_TEXT_CHARS = 1000
    content = shared_strings_workbook([["x" * 100]], [[0] * 5 for _ in range(3)])
    with pytest.raises(WorkbookError) as refused:
        workbook_survey(content)
    assert "1000" in refused.value.text()


@pytest.mark.parametrize(
    "sheet",
    [
        b'<worksheet NS><sheetData><row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>',
        b'<worksheet NS><sheetData><row r="1"><c r="A1" t="s"><v>x</v></c></row></sheetData></worksheet>',
        b'<worksheet NS><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>',
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]><worksheet NS><sheetData/></worksheet>',
    ],
    ids=["a string that is not there", "a string named by no number", "cut short", "entities declared"],
)
def test_a_broken_sheet_is_refused_as_an_unreadable_workbook(sheet):
    content = shared_strings_workbook([["姓名"]], [], sheet=sheet.replace(b"NS", NS))
    with translation.override("zh-hans"), pytest.raises(WorkbookError) as refused:
        workbook_survey(content)
    assert refused.value.text().startswith("无法读取这个文件")


def test_a_zip_that_holds_no_workbook_is_refused():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    for content in (buffer.getvalue(), b"PK\x03\x04 not really a zip", b""):
        with pytest.raises(WorkbookError):
            workbook_glance(content)
