"""People made from a rule's own conditions, as the self-check's answers: for each answer a rule
reads (an age, a yes/no, a number, a word), the values on either side of every constant it is
compared with; then the first combination whose conditions come out as asked. No person is written
by hand for a rule, so a rule added to the samples is tested the day it is added."""

from __future__ import annotations

import ast
import datetime
import itertools

from linju.eligibility.models import Employment, Hardship, LossCause
from linju.eligibility.rules import FACTS, Rule, _scalar
from linju.eligibility.services import facts_from_answers

WORDS = {
    "employment_status": Employment.values,
    "job_loss_cause": LossCause.values,
    "hardship_kind": Hardship.values,
}
# a date is answered as the self-check asks it
DATE_ANSWERS = {"job_lost_on": "months_since_job_loss", "hardship_on": "hardship_recently"}
LIMITS = {"age": 120, "months_since_job_loss": 600}
MAX_PEOPLE = 20_000


def _answer_of(node: ast.AST) -> str | None:
    """The self-check answer a value of a condition comes from (None for a constant)."""
    if isinstance(node, ast.Call):
        return "age" if node.func.id == "age" else DATE_ANSWERS[node.args[0].id]
    if isinstance(node, ast.Name):
        return DATE_ANSWERS.get(node.id, node.id)
    return None


def _constants(node: ast.AST) -> list:
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [element.value for element in node.elts]
    return []


def _around(answer: str, constants: list) -> set:
    if answer == "hardship_recently":
        return {True, False}
    if answer in WORDS:
        return set(WORDS[answer])
    numbers = [c for c in constants if isinstance(c, (int, float)) and not isinstance(c, bool)]
    top = LIMITS.get(answer, 10**9)
    return {min(max(0, int(c) + step), top) for c in numbers for step in (-1, 0, 1)} or {0, 1}


def answer_values(rule: Rule) -> dict[str, list]:
    """Every answer the rule reads, with the values worth trying."""
    values: dict[str, set] = {}
    for node in ast.walk(rule.tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            constants = [c for side in sides for c in _constants(side)]
            for side in sides:
                answer = _answer_of(side)
                if answer:
                    values.setdefault(answer, set()).update(_around(answer, constants))
        elif isinstance(node, ast.Name) and FACTS.get(node.id, ("",))[0] == "bool":
            values.setdefault(node.id, set()).update({True, False})
        elif isinstance(node, ast.Call) and node.func.id != "age":
            values.setdefault(_answer_of(node), set()).update(_around(_answer_of(node), []))
    return {answer: sorted(found, key=repr) for answer, found in sorted(values.items())}


def person_where(rule: Rule, wanted: dict[int, bool], today: datetime.date) -> dict | None:
    """The answers of a person for whom each condition numbered in `wanted` (1-based) comes out as
    asked, and every other condition is true or false, never unknown; None when there is none."""
    values = answer_values(rule)
    conditions = rule.conditions
    for count, combination in enumerate(itertools.product(*values.values())):
        if count >= MAX_PEOPLE:
            break
        answers = dict(zip(values, combination, strict=True))
        facts = facts_from_answers(answers, today)
        outcomes = [_scalar(condition, facts, today) for condition in conditions]
        if None in outcomes:
            continue
        if all(outcomes[number - 1] is want for number, want in wanted.items()):
            return answers
    return None
