"""Spreadsheets for exports: one sheet, a header row, the rows; streamed (write-only) for big lists."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(*, sheet: str, header: Iterable, rows: Iterable[Iterable]) -> tuple[bytes, int]:
    """(file content, number of data rows)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(str(sheet))
    worksheet.append([str(h) for h in header])
    count = 0
    for row in rows:
        worksheet.append(list(row))
        count += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
