"""CSV files are read within the bounds of a workbook: a cell over the limit, a line the csv module
cannot read and a file too big are refused in words, with the line; the errors kept are bounded."""

import io

import pytest
from django.utils import translation

from linju.core.csv_import import KEPT_ERRORS, MESSAGE_CHARS, ImportFileError, read_csv, refuse_if_errors


def test_a_cell_over_the_limit_is_refused_with_its_line(settings):
    settings.LINJU_IMPORT_MAX_CELL_CHARS = 10
    rows = read_csv(io.StringIO("date,kind\n2027-01-01,holiday\n"), ["date", "kind"])
    assert rows == [(2, {"date": "2027-01-01", "kind": "holiday"})]
    with translation.override("zh-hans"), pytest.raises(ImportFileError) as refused:
        read_csv(
            io.StringIO("date,kind\n2027-01-01,holiday\n2027-01-02," + "x" * 11 + "\n"), ["date", "kind"]
        )
    assert "3" in refused.value.text() and "10" in refused.value.text()


def test_a_line_the_csv_reader_cannot_read_is_said_in_words():
    """A cell past the csv module's own limit (131,072 characters) made it raise its own text."""
    with translation.override("zh-hans"), pytest.raises(ImportFileError) as refused:
        read_csv(io.StringIO('date,kind\n2027-01-01,"' + "x" * 140_000 + '"\n'), ["date", "kind"])
    assert "field larger" not in refused.value.text() and "CSV" in refused.value.text()


def test_a_file_too_big_is_refused_before_it_is_read(monkeypatch, tmp_path):
    monkeypatch.setattr("linju.core.csv_import.MAX_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text("date,kind\n" + "2027-01-01,holiday\n" * 10, encoding="utf-8")
    with pytest.raises(ImportFileError):
        read_csv(path, ["date", "kind"])


def test_the_errors_kept_are_bounded_and_cut_and_the_rest_counted():
    errors = [(line, "“" + "x" * 1000 + "” is not a date") for line in range(2, KEPT_ERRORS + 502)]
    with pytest.raises(ImportFileError) as refused:
        refuse_if_errors(errors)
    assert len(refused.value.row_errors) == KEPT_ERRORS and refused.value.more == 500
    assert all(len(message) <= MESSAGE_CHARS for _line, message in refused.value.row_errors)
    with translation.override("en"):
        text = str(refused.value)
    assert text.startswith(f"{KEPT_ERRORS + 500} bad rows") and text.endswith("500 more.")
    assert len(text) < (KEPT_ERRORS + 2) * (MESSAGE_CHARS + 20)
