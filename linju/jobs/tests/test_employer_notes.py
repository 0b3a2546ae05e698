"""Notes other apps keep about employers reach the unfilled vacancies through the sources registered
with jobs, newest first, without jobs knowing whose they are."""

import datetime

import pytest

from linju.jobs import employer_notes

D = datetime.date


@pytest.fixture
def sources(monkeypatch):
    registered = []
    monkeypatch.setattr(employer_notes, "_SOURCES", registered)
    return registered


def test_notes_of_every_source_come_newest_first(sources):
    employer_notes.register(
        lambda ids: [(1, D(2026, 10, 9), "招不到搬运工"), (2, D(2026, 9, 1), "不在查询中")]
    )
    employer_notes.register(lambda ids: [(1, D(2026, 11, 2), "夜班无人")])
    notes = employer_notes.notes_by_employer([1, 2])
    assert notes[1] == ["2026-11-02 夜班无人", "2026-10-09 招不到搬运工"]
    assert notes[2] == ["2026-09-01 不在查询中"]


def test_a_source_registered_twice_is_asked_once(sources):
    def source(ids):
        return [(employer_id, D(2026, 10, 9), "一次") for employer_id in ids]

    employer_notes.register(source)
    employer_notes.register(source)
    assert employer_notes.notes_by_employer([7]) == {7: ["2026-10-09 一次"]}


def test_without_sources_there_are_no_notes(sources):
    assert employer_notes.notes_by_employer([1]) == {}
