"""Reading CSV files for all-or-nothing imports: every bad row is reported with its line number.

The same bounds as a workbook's (linju/core/xlsx.py): a file of at most MAX_BYTES, a cell of at most
settings.LINJU_IMPORT_MAX_CELL_CHARS characters, the errors kept cut to size and bounded in number
(the rest counted); a line the csv module cannot read is said in words, with its number."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linju.core.errors import DomainError
from linju.core.text import clip

MAX_BYTES = 50 * 1024 * 1024
KEPT_ERRORS = 1000
MESSAGE_CHARS = 300


class ImportFileError(DomainError):
    """A file that cannot be imported; `row_errors` lists (line number, message) for every bad row."""

    code = "import_failed"

    def __init__(self, message, *, params=None, row_errors: list[tuple[int, str]] | None = None) -> None:
        super().__init__(message, params=params)
        self.row_errors = row_errors or []

    more = 0  # bad rows counted past the ones kept

    def __str__(self) -> str:
        lines = [self.text()] + [
            str(_("line %(line)d: %(error)s") % {"line": n, "error": e}) for n, e in self.row_errors
        ]
        if self.more:
            lines.append(str(_("… and %(count)d more.") % {"count": self.more}))
        return "\n".join(lines)


def refuse_if_errors(errors: list[tuple[int, str]]) -> None:
    """Refuse the file when any row is bad: every bad row counted, the first KEPT_ERRORS kept, each
    message cut to MESSAGE_CHARS (a message may quote the cell)."""
    if errors:
        kept = [(line, clip(message, MESSAGE_CHARS)) for line, message in sorted(errors)[:KEPT_ERRORS]]
        refused = ImportFileError(
            _("%(count)d bad rows; nothing was imported."), params={"count": len(errors)}, row_errors=kept
        )
        refused.more = len(errors) - len(kept)
        raise refused


@dataclass
class ImportResult:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return "; ".join(
            f"{k}: created {self.created[k]}, updated {self.updated[k]}, unchanged {self.unchanged[k]}"
            for k in kinds
        )


def read_csv(source: Path | str | io.TextIOBase, expected: list[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; a row with the wrong number of cells is {"__error__": "<cells>"}."""
    too_big = ImportFileError(
        _("A file may be at most %(size)d MB; split it into smaller files."),
        params={"size": MAX_BYTES // 2**20},
    )
    if isinstance(source, (str, Path)):
        try:
            if Path(source).stat().st_size > MAX_BYTES:
                raise too_big
            text = Path(source).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ImportFileError(_("File not found: %(path)s"), params={"path": str(source)}) from None
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is not UTF-8 text; save it as CSV UTF-8.")) from None
    else:
        text = source.read(MAX_BYTES + 1)
        if len(text) > MAX_BYTES:
            raise too_big
    reader = csv.reader(io.StringIO(text))
    try:
        return _rows(reader, expected)
    except csv.Error:
        raise ImportFileError(
            _(
                "Line %(line)d cannot be read as CSV (a quotation mark left open, or a cell of more than "
                "%(limit)d characters). Nothing was imported."
            ),
            params={"line": reader.line_num, "limit": settings.LINJU_IMPORT_MAX_CELL_CHARS},
        ) from None


def _rows(reader, expected: list[str]) -> list[tuple[int, dict[str, str]]]:
    longest = settings.LINJU_IMPORT_MAX_CELL_CHARS
    header = [h.strip() for h in next(reader, None) or []]
    missing = [c for c in expected if c not in header]
    if missing:
        raise ImportFileError(
            _("Line 1 must name the columns; missing: %(columns)s"), params={"columns": ", ".join(missing)}
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for line_number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            rows.append((line_number, {"__error__": str(len(values))}))
            continue
        if any(len(v) > longest for v in values):
            raise ImportFileError(
                _("Line %(line)d holds a cell of more than %(limit)d characters. Nothing was imported."),
                params={"line": line_number, "limit": longest},
            )
        rows.append((line_number, {k: v.strip() for k, v in zip(header, values, strict=True)}))
    return rows


def upsert(model, lookup: dict, values: dict, kind: str, result: ImportResult):
    """Create, update (only what changed) or leave a row; count which."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.created[kind] += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=[*changed, "updated_at"])
        result.updated[kind] += 1
    else:
        result.unchanged[kind] += 1
    return obj


def upsert_many(model, key: str, rows: dict, kind: str, result: ImportResult) -> None:
    """`upsert` for many rows at once, keyed by one unique field: one read, one insert, one update.

    `rows` maps each key to the values of its row."""
    existing = {getattr(obj, key): obj for obj in model.objects.filter(**{f"{key}__in": list(rows)})}
    new, changed, fields = [], [], set()
    for value, values in rows.items():
        obj = existing.get(value)
        if obj is None:
            new.append(model(**{key: value}, **values))
            continue
        differ = [k for k, v in values.items() if getattr(obj, k) != v]
        if differ:
            for k in differ:
                setattr(obj, k, values[k])
            obj.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
            fields.update(differ)
            changed.append(obj)
        else:
            result.unchanged[kind] += 1
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        model.objects.bulk_update(changed, [*sorted(fields), "updated_at"], batch_size=500)
    if new:
        result.created[kind] += len(new)
    if changed:
        result.updated[kind] += len(changed)
