"""Spreadsheets Linju writes (exports, reports, templates and error sheets), and the measure taken
of a workbook it is given before any library reads it.

Every text goes in as a text cell, never a formula: openpyxl reads a string that starts with "="
as a formula, so a resident named `=HYPERLINK(...)` would come back from an export as a live link
(OWASP: CSV/formula injection). `row_cells` makes each string a cell of type text, and drops the
control characters a spreadsheet cannot hold. Every workbook Linju writes appends its rows through
it (`xlsx_bytes` for the lists).

A workbook brought in is a zip of XML: 300 KB can unpack to a 300 MB string that openpyxl would hold
whole (its read-only mode still loads the table of shared strings). `workbook_glance` reads the
zip's directory (the sizes each part unpacks to: Python's zip reader never unpacks past them), and
`workbook_survey` streams the string table and the first sheet through expat a piece at a time,
counting each cell's characters and the rows, so a cell over the limit is refused in words while
the memory used stays a few pieces of 64 KB, whatever the file holds.
"""

from __future__ import annotations

import zipfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from xml.parsers import expat

from django.conf import settings
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from linju.core.errors import DomainError

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


# Reading: the measure of a workbook before openpyxl opens it ------------------------------------


class WorkbookError(DomainError):
    """A workbook that cannot be read, said in plain words."""

    code = "bad_file"


def unreadable() -> WorkbookError:
    return WorkbookError(
        _("This is not an Excel workbook (.xlsx) that can be read. Save it as .xlsx and try again.")
    )


@dataclass(frozen=True)
class WorkbookLimits:
    cell_chars: int  # one cell's text
    text_chars: int  # every cell of the sheet read, together
    strings_bytes: int  # xl/sharedStrings.xml, unpacked (openpyxl loads it whole)
    sheet_bytes: int  # one worksheet, unpacked (streamed)
    unpacked_bytes: int  # the whole workbook, unpacked

    @classmethod
    def from_settings(cls) -> WorkbookLimits:
        return cls(
            cell_chars=settings.LINJU_IMPORT_MAX_CELL_CHARS,
            text_chars=settings.LINJU_IMPORT_MAX_TEXT_CHARS,
            strings_bytes=settings.LINJU_IMPORT_MAX_STRINGS_BYTES,
            sheet_bytes=settings.LINJU_IMPORT_MAX_SHEET_BYTES,
            unpacked_bytes=settings.LINJU_IMPORT_MAX_UNPACKED_BYTES,
        )


OTHER_PART_BYTES = 32 * 1024 * 1024  # styles, the workbook's own list of sheets, …
PIECE = 64 * 1024
MB = 1024 * 1024


def _too_big(limit_bytes: int) -> WorkbookError:
    return WorkbookError(
        _(
            "This workbook unpacks to more than %(size)d MB, more than one import can take. "
            "Split it into smaller files, or keep only the sheet to import."
        ),
        params={"size": max(limit_bytes // MB, 1)},
    )


def _long_cell(limit: int) -> WorkbookError:
    return WorkbookError(
        _(
            "A cell of this workbook holds more than %(limit)d characters, more than a cell may hold. "
            "Check that this is the register you meant to import."
        ),
        params={"limit": limit},
    )


def workbook_glance(content: bytes, limits: WorkbookLimits | None = None) -> zipfile.ZipFile:
    """The workbook's zip, once its directory says no part unpacks past the limits (cheap: nothing
    is unpacked). Refuses a file that is no zip, holds no workbook, or would unpack too far."""
    limits = limits or WorkbookLimits.from_settings()
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise unreadable() from None
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        raise unreadable()
    total = 0
    for part in parts:
        total += part.file_size
        if part.filename == "xl/sharedStrings.xml":
            limit = limits.strings_bytes
        elif part.filename.startswith("xl/worksheets/"):
            limit = limits.sheet_bytes
        else:
            limit = min(OTHER_PART_BYTES, limits.unpacked_bytes)
        if part.file_size > limit:
            raise _too_big(limit)
    if total > limits.unpacked_bytes:
        raise _too_big(limits.unpacked_bytes)
    return archive


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _stream(archive: zipfile.ZipFile, name: str, parser) -> None:
    """Feed one part of the zip to `parser` a piece at a time; any fault of the XML or the zip is
    the file's."""

    def refuse(*_args):
        raise unreadable()

    parser.StartDoctypeDeclHandler = refuse  # a workbook declares no entities
    parser.EntityDeclHandler = refuse
    try:
        with archive.open(name) as part:
            while piece := part.read(PIECE):
                parser.Parse(piece, False)
        parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        raise unreadable() from None


def _part(target: str) -> str:
    """A relationship's target as a path in the zip (relative to xl/, or absolute)."""
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _parts(archive: zipfile.ZipFile) -> tuple[str, str | None]:
    """The paths of the workbook's first sheet (the one imports read) and of its table of shared
    strings (if any), from xl/workbook.xml and its relationships, as openpyxl finds them."""
    first: dict[str, str] = {}
    targets: dict[str, str] = {}
    strings: list[str] = []

    def sheet(name, attrs):
        if _local(name) == "sheet" and not first:
            first["id"] = next((v for k, v in attrs.items() if _local(k) == "id"), "")

    def relationship(name, attrs):
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")
            if attrs.get("Type", "").endswith("/sharedStrings"):
                strings.append(_part(attrs.get("Target", "")))

    parser = expat.ParserCreate()
    parser.StartElementHandler = sheet
    _stream(archive, "xl/workbook.xml", parser)
    if "xl/_rels/workbook.xml.rels" not in archive.namelist():
        raise unreadable()
    parser = expat.ParserCreate()
    parser.StartElementHandler = relationship
    _stream(archive, "xl/_rels/workbook.xml.rels", parser)
    path = _part(targets.get(first.get("id", ""), ""))
    names = set(archive.namelist())
    if path not in names:
        raise unreadable()
    return path, next((p for p in strings if p in names), None)


def _string_lengths(archive: zipfile.ZipFile, path: str | None, limits: WorkbookLimits) -> array:
    """The length of each shared string, in order (a number each, never the strings)."""
    lengths = array("L")
    if path is None:
        return lengths
    state = {"text": 0, "length": 0}

    def start(name, _attrs):
        name = _local(name)
        if name == "si":
            state["length"] = 0
        elif name == "t":
            state["text"] += 1

    def end(name):
        name = _local(name)
        if name == "t":
            state["text"] -= 1
        elif name == "si":
            lengths.append(state["length"])

    def characters(data):
        if state["text"]:
            state["length"] += len(data)
            if state["length"] > limits.cell_chars:
                raise _long_cell(limits.cell_chars)

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = characters
    _stream(archive, path, parser)
    return lengths


def workbook_survey(content: bytes, limits: WorkbookLimits | None = None) -> int:
    """How many rows of the first sheet hold something, once every cell of it has been measured:
    refuses (in words) a cell longer than `limits.cell_chars`, a sheet of more text than
    `limits.text_chars`, a reference to a shared string that is not there, and anything that is not
    a workbook. Memory stays bounded: the strings are counted, never kept."""
    limits = limits or WorkbookLimits.from_settings()
    archive = workbook_glance(content, limits)
    sheet, strings = _parts(archive)
    lengths = _string_lengths(archive, strings, limits)
    state = {"type": "", "value": None, "inline": 0, "cell": 0, "text": 0, "rows": 0, "filled": False}

    def start(name, attrs):
        name = _local(name)
        if name == "row":
            state["filled"] = False
        elif name == "c":
            state["type"], state["cell"] = attrs.get("t", "n"), 0
        elif name == "v":
            state["value"] = []
        elif name == "is":
            state["inline"] += 1

    def end(name):
        name = _local(name)
        if name == "row":
            state["rows"] += state["filled"]
        elif name == "v":
            if state["type"] == "s":
                digits = "".join(state["value"]).strip()
                if not digits.isdigit() or int(digits) >= len(lengths):
                    raise unreadable()
                count(lengths[int(digits)])
            state["value"] = None
        elif name == "is":
            state["inline"] -= 1

    def count(length: int) -> None:
        state["cell"] += length
        if state["cell"] > limits.cell_chars:
            raise _long_cell(limits.cell_chars)
        state["text"] += length
        if state["text"] > limits.text_chars:
            raise WorkbookError(
                _(
                    "This sheet holds more than %(count)d characters of text, more than one import "
                    "can take. Split it into smaller files."
                ),
                params={"count": limits.text_chars},
            )
        if length:
            state["filled"] = True

    def characters(data):
        if state["value"] is not None:
            if state["type"] == "s":
                state["value"].append(data)
                if sum(map(len, state["value"])) > 12:  # an index into the strings, no more
                    raise unreadable()
            else:
                count(len(data))
        elif state["inline"]:
            count(len(data))

    parser = expat.ParserCreate()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = characters
    _stream(archive, sheet, parser)
    return state["rows"]
