"""Spreadsheets Linju writes: exports, reports, templates and error sheets.

Every text goes in as a text cell, never a formula: openpyxl reads a string that starts with "="
as a formula, so a resident named `=HYPERLINK(...)` would come back from an export as a live link
(OWASP: CSV/formula injection). `row_cells` makes each string a cell of type text, and drops the
control characters a spreadsheet cannot hold. Every workbook Linju writes appends its rows through
it (`xlsx_bytes` for the lists).
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def text_cell(worksheet, value: str):
    """A cell holding `value` as text, whatever it starts with."""
    make = WriteOnlyCell if isinstance(worksheet, WriteOnlyWorksheet) else Cell
    cell = make(worksheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def row_cells(worksheet, values: Iterable) -> list:
    """The row for `worksheet.append`: texts as text cells, numbers and dates as they are."""
    return [text_cell(worksheet, str(v)) if isinstance(v, str | Promise) else v for v in values]


def xlsx_bytes(*, sheet: str, header: Iterable, rows: Iterable[Iterable]) -> tuple[bytes, int]:
    """(file content, number of data rows)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(str(sheet))
    worksheet.append(row_cells(worksheet, [str(h) for h in header]))
    count = 0
    for row in rows:
        worksheet.append(row_cells(worksheet, row))
        count += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
