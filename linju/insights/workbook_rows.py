"""Reading a spreadsheet's rows (openpyxl): the header found among a roster's title rows, each cell as
text, and the errors of bad rows kept bounded, in the reader's language. The kinds of rows and what
is done with them are in imports.py."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from linju.core.text import clip
from linju.core.xlsx import WorkbookError, unreadable, workbook_survey

MAX_ROWS = 200_000


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    required: bool
    help: Promise
    example: str
    fields: tuple[str, ...] = ()  # the service's field names whose errors belong to this column
    aliases: tuple[str, ...] = ()  # other headers people write for it
    # spaces inside the value: kept, none (numbers: 5002 2219 …), or none between Chinese characters
    # (a two-character name padded to three: 王  芳)
    spaces: str = "keep"

    def headers(self) -> set[str]:
        names = {self.key, *self.aliases}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                names.add(str(self.label))
        return {n.strip().lower() for n in names}


VALUE_CHARS = 100  # of a cell quoted beside its error
MESSAGE_CHARS = 300  # of an error's message (it may quote the cell too)
KEPT_ERRORS = 5000  # per import; the rest are counted


@dataclass
class RowError:
    """A bad row's error, cut to size as it is made: a 50 MB cell is kept as its first characters."""

    row: int
    column: str
    value: str
    message: str

    def __post_init__(self) -> None:
        self.value = clip(self.value, VALUE_CHARS)
        self.message = clip(self.message, MESSAGE_CHARS)

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


class RowErrors:
    """The errors of one import: the first KEPT_ERRORS kept, every one counted."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.count = 0
        self.limit = KEPT_ERRORS

    def append(self, error: RowError) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(error)

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)

    def __bool__(self) -> bool:
        return self.count > 0


class FileError(WorkbookError):
    """A file that cannot be imported as a whole (no header row, too many rows, unreadable)."""


# Reading ------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as the text an office meant: full-width digits and letters made plain (NFKC), and the
    spaces around it (an ideographic space too) left out."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return unicodedata.normalize("NFKC", str(value)).strip()


def _header(value: Any) -> str:
    """A header cell as matched: plain, lower case, no spaces at all (offices write 姓  名)."""
    return re.sub(r"\s+", "", _text(value)).lower()


CJK_SPACES = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def _spaced(text: str, spaces: str) -> str:
    if spaces == "none":
        return re.sub(r"\s+", "", text)
    if spaces == "cjk":
        return CJK_SPACES.sub("", text)
    return text


HEADER_SEARCH = 10  # a roster's title rows (花名册, the unit, the date) come above its header row


def read_rows(content: bytes, columns: list[Column]) -> Iterator[tuple[int, dict[str, str], dict[str, Any]]]:
    """(row number as Excel shows it, {column: text}, {column: raw cell}) for every non-empty row.

    The header is the first of the first rows that names every required column; the rows above it
    (a title, often merged across the sheet) are left out, and so are the columns Linju does not
    read (序号, 备注, …)."""
    workbook = _open(content)
    rows = _parsed(workbook)
    wanted = {_header(name): column for column in columns for name in column.headers()}
    by_key = {column.key: column for column in columns}
    best: dict[str, int] = {}
    positions: dict[str, int] | None = None
    header_row = 0
    for header_row, header in enumerate(rows, start=1):
        found: dict[str, int] = {}
        for index, cell in enumerate(header or ()):
            column = wanted.get(_header(cell))
            if column and column.key not in found:
                found[column.key] = index
        if all(c.key in found for c in columns if c.required):
            positions = found
            break
        if len(found) > len(best):
            best = found
        if header_row >= HEADER_SEARCH:
            break
    if positions is None:
        missing = [str(c.label) for c in columns if c.required and c.key not in best]
        raise FileError(
            _(
                "No row among the first %(rows)d names the columns; missing: %(columns)s. "
                "Keep one header row (a title row above it is fine), or start from the template."
            ),
            params={"rows": HEADER_SEARCH, "columns": "、".join(missing)},
        )
    for number, values in enumerate(rows, start=header_row + 1):
        if number - 1 > MAX_ROWS:
            raise FileError(_("A file may hold at most %(count)d rows."), params={"count": MAX_ROWS})
        if not values or all(v is None or _text(v) == "" for v in values):
            continue
        raw = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        yield number, {key: _spaced(_text(raw[key]), by_key[key].spaces) for key in raw}, raw
    workbook.close()


def _open(content: bytes):
    """openpyxl's reading of a workbook `survey` measured; whatever it stumbles on (an index out of
    range, a tag it does not know) is the file's fault, said in plain words."""
    try:
        return load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises anything on a broken file
        raise unreadable() from error


def _parsed(workbook) -> Iterator[tuple]:
    try:
        if not workbook.worksheets:
            raise unreadable()
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    except WorkbookError:
        raise
    except Exception as error:  # as in _open: a broken sheet, in plain words
        raise unreadable() from error


def survey(content: bytes) -> int:
    """The rows below a header, at most (linju/core/xlsx.py measured every cell first: a cell or a
    string table too big for memory refuses the file before openpyxl reads it)."""
    rows = workbook_survey(content)
    if rows - 1 > MAX_ROWS + HEADER_SEARCH:
        raise FileError(_("A file may hold at most %(count)d rows."), params={"count": MAX_ROWS})
    return max(rows - 1, 0)


# Kinds --------------------------------------------------------------------------------------------
