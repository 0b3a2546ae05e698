"""Dated notes that other apps keep about employers, shown beside their unfilled vacancies.

Jobs sits below outreach and knows nothing of it: a leader's visit to an enterprise names the
employer (outreach → jobs), never the reverse. So outreach registers here, from its AppConfig.ready,
how to read the findings of those visits, and jobs asks every registered source without knowing
whose it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

# given employers' ids, their notes as (employer id, day, text), in one query
NoteSource = Callable[[list[int]], Iterable[tuple[int, datetime.date, str]]]

_SOURCES: list[NoteSource] = []


def register(source: NoteSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def notes_by_employer(employer_ids: list[int]) -> dict[int, list[str]]:
    """Each employer's notes, newest first, as "YYYY-MM-DD text"; one query per source."""
    dated: dict[int, list[tuple[datetime.date, str]]] = {}
    for source in _SOURCES:
        for employer_id, day, text in source(employer_ids):
            dated.setdefault(employer_id, []).append((day, text))
    return {
        employer_id: [
            f"{day:%Y-%m-%d} {text}" for day, text in sorted(notes, key=lambda n: n[0], reverse=True)
        ]
        for employer_id, notes in dated.items()
    }
