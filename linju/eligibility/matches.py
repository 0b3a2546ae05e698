"""Who each offered rule matched in a discovery run, for the apps that act on it.

Discovery sits below the offers (免申即享) and knows nothing of them: the offers app registers here,
from its AppConfig.ready, what to do with a finished run's matches, and discovery hands every
registered consumer the matches of the rules the bureau offers, as the arrays it already holds, once
the run's lists are stored and before the run is marked done (a consumer that fails fails the run,
as a list that cannot be stored does)."""

from __future__ import annotations

import ast
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .rules import EPOCH, FACTS, Column, Rule

if TYPE_CHECKING:
    from .models import DiscoveryRun, EligibilityRule


@dataclass(frozen=True)
class RuleMatches:
    """The residents an offered rule found in a run (ascending ids), their villages, and the facts
    the rule read, one column each, at those rows."""

    rule: EligibilityRule
    resident_ids: np.ndarray
    village_ids: np.ndarray
    facts: dict[str, Column]  # the facts the rule names, birth dates left out
    ages: Column | None  # whole years on the run's day, when the rule asks age()


def _plain(kind: str, column: Column) -> list:
    known = column.known.tolist()
    if kind == "date":
        values = [(EPOCH + datetime.timedelta(days=days)).isoformat() for days in column.values.tolist()]
    elif kind == "str":
        values = column.texts().tolist()
    elif kind == "number":
        values = [int(v) if float(v).is_integer() else v for v in column.values.tolist()]
    else:
        values = column.values.tolist()
    return [value if is_known else None for value, is_known in zip(values, known, strict=True)]


def facts_rows(matches: RuleMatches) -> list[dict]:
    """Every match's facts as a small dict of plain JSON values (a date as YYYY-MM-DD), built column
    by column; age() as the age, not the birth date."""
    names = sorted(matches.facts)
    columns = [_plain(FACTS[name][0], matches.facts[name]) for name in names]
    if matches.ages is not None:
        names.append("age")
        columns.append(_plain("number", matches.ages))
    if not names:
        return [{} for _ in range(len(matches.resident_ids))]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def uses_age(rule: Rule) -> bool:
    return any(
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "age"
        for node in ast.walk(rule.tree)
    )


Consumer = Callable[["DiscoveryRun", list[RuleMatches], datetime.date], None]

_CONSUMERS: list[Consumer] = []


def register(consumer: Consumer) -> None:
    if consumer not in _CONSUMERS:
        _CONSUMERS.append(consumer)


def run_matched(run: DiscoveryRun, found: list[RuleMatches], today: datetime.date) -> None:
    """Hand a finished run's matches of offered rules to every registered consumer."""
    for consumer in _CONSUMERS:
        consumer(run, found, today)
