"""Rules in sentences a resident reads: every top-level condition of a rule carries
a sentence for when it is met ("您今年35岁,在16到60岁之间") and a question for when it is not known
("您是否已经做了失业登记?"), in Chinese and English, written with the rule and checked when it is
saved. A met sentence may name the person's own values in braces ({age}, or a fact the condition
reads); a question names none, since what it asks is not known.

    [{"zh": {"met": "您今年{age}岁,在16到60岁之间", "ask": "请告诉我们您的年龄。"},
      "en": {"met": "You are {age}, between 16 and 60", "ask": "How old are you?"}}, …]

A condition the resident can still meet by doing something (registering as unemployed, enrolling,
bringing a paper) is marked as a step: the words of what to do, and the item that does it or the
place where, or both. Such a condition unmet is not a reason to say nothing: the self-check lists the
item with "您可以:先办失业登记,再办理失业保险金申领" and where to take the step.

    {"zh": {…}, "en": {…}, "step": {"item": "UI-001", "zh": "办失业登记", "en": "register as unemployed",
                                    "where": {"zh": "镇街社保服务所", "en": "your town's station"}}}
"""

from __future__ import annotations

import ast
import datetime
import itertools
import string
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from linju.core.errors import DomainError
from linju.core.periods import age_on

from .rules import FACTS, VALUE_WORDS, Explanation, Rule, _scalar, evaluate

LANGUAGES = ("zh", "en")
PARTS = ("met", "ask")
MAX_SENTENCE = 120
MAX_STEP = 60  # a step is a few words: "办失业登记", "带上诊断证明"
STEP_KEYS = {"item", "zh", "en", "where"}


class PlainWordsError(DomainError):
    code = "invalid_plain_words"


def _refuse(message, **params) -> PlainWordsError:
    return PlainWordsError(message, params=params, field="plain")


def names_in(condition: ast.expr) -> set[str]:
    """The values a condition's met sentence may name: the facts it reads, and age if it asks."""
    names = {n.id for n in ast.walk(condition) if isinstance(n, ast.Name) and n.id in FACTS}
    if any(isinstance(n, ast.Call) and n.func.id == "age" for n in ast.walk(condition)):
        names.add("age")
    return names


def _known_when(node: ast.expr, outcome: bool) -> set[str]:
    """The values a condition has surely read, known, whenever it comes out `outcome`: an "and" is
    met only with every part met, an "or" by any one of its parts (so only what they all read), and
    "not" swaps met and not met. A chained comparison fails as soon as one of its pairs does."""
    if isinstance(node, ast.BoolOp):
        parts = [_known_when(v, outcome) for v in node.values]
        every = isinstance(node.op, ast.And) == outcome  # and-met, or-unmet: all parts decided so
        return set().union(*parts) if every else set.intersection(*parts)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return _known_when(node.operand, not outcome)
    if isinstance(node, ast.Compare) and not outcome and len(node.ops) > 1:
        operands = [node.left, *node.comparators]
        return set.intersection(*(names_in(a) | names_in(b) for a, b in itertools.pairwise(operands)))
    return names_in(node)  # a comparison, a fact: met or not, all it reads is known


def known_when_met(condition: ast.expr) -> set[str]:
    """The values a condition's met sentence may name: those known whenever it is met (a condition met
    by one side of an "or" may not know what the other side reads)."""
    return _known_when(condition, True)


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise _refuse(_("“%(text)s”: a brace is not closed."), text=text) from None


def check_plain_words(rule: Rule, plain: Any) -> None:
    """One entry per condition, each with a met sentence and a question in both languages, short,
    naming only the condition's own values (and the question none)."""
    conditions = rule.conditions
    if not isinstance(plain, list) or len(plain) != len(conditions):
        raise _refuse(
            _("Write one sentence and one question for each of the rule's %(count)d conditions."),
            count=len(conditions),
        )
    for index, (entry, condition) in enumerate(zip(plain, conditions, strict=True), start=1):
        if isinstance(entry, dict) and "step" in entry:
            _check_step(index, entry["step"])
            entry = {k: v for k, v in entry.items() if k != "step"}
        if not isinstance(entry, dict) or set(entry) != set(LANGUAGES):
            raise _refuse(
                _("Condition %(index)d: give the words in Chinese (zh) and English (en)."), index=index
            )
        allowed, read = known_when_met(condition), names_in(condition)
        for language in LANGUAGES:
            words = entry[language]
            if not isinstance(words, dict) or set(words) != set(PARTS):
                raise _refuse(
                    _(
                        "Condition %(index)d (%(language)s): give a sentence when met (met) and a question (ask)."
                    ),
                    index=index,
                    language=language,
                )
            for part in PARTS:
                text = words[part]
                if not isinstance(text, str) or not text.strip() or len(text) > MAX_SENTENCE:
                    raise _refuse(
                        _("Condition %(index)d (%(language)s, %(part)s): write 1 to %(max)d characters."),
                        index=index,
                        language=language,
                        part=part,
                        max=MAX_SENTENCE,
                    )
                named = _placeholders(text)
                if part == "ask" and named:
                    raise _refuse(
                        _(
                            "Condition %(index)d: a question cannot name a value ({%(name)s}): it is not known."
                        ),
                        index=index,
                        name=sorted(named)[0],
                    )
                if part == "met" and named & read - allowed:
                    raise _refuse(
                        _(
                            "Condition %(index)d: {%(name)s} may not be known when the condition is met (another side of an “or” can meet it); it may name: %(allowed)s."
                        ),
                        index=index,
                        name=sorted(named & read - allowed)[0],
                        allowed="、".join(sorted(allowed)) or "—",
                    )
                if named - allowed:
                    raise _refuse(
                        _(
                            "Condition %(index)d: {%(name)s} is not a value this condition reads (it may name: %(allowed)s)."
                        ),
                        index=index,
                        name=sorted(named - allowed)[0],
                        allowed="、".join(sorted(allowed)) or "—",
                    )


def _short_text(value) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value) <= MAX_STEP and "{" not in value


def _check_step(index: int, step: Any) -> None:
    """A step says what to do in both languages, and which item does it or where (or both)."""
    if not isinstance(step, dict) or not set(step) <= STEP_KEYS:
        raise _refuse(
            _("Condition %(index)d: a step has only item, zh, en and where."),
            index=index,
        )
    if not all(_short_text(step.get(language)) for language in LANGUAGES):
        raise _refuse(
            _(
                "Condition %(index)d: write the step in Chinese (zh) and English (en), 1 to %(max)d characters, no braces."
            ),
            index=index,
            max=MAX_STEP,
        )
    item, where = step.get("item", ""), step.get("where")
    if not isinstance(item, str) or len(item) > 20:
        raise _refuse(_("Condition %(index)d: the step's item is an item code, like UI-001."), index=index)
    if where is not None and not (
        isinstance(where, dict)
        and set(where) == set(LANGUAGES)
        and all(
            isinstance(where[lang], str) and where[lang].strip() and len(where[lang]) <= MAX_SENTENCE
            for lang in LANGUAGES
        )
    ):
        raise _refuse(
            _("Condition %(index)d: say where the step is taken in Chinese (zh) and English (en)."),
            index=index,
        )
    if not item and where is None:
        raise _refuse(
            _("Condition %(index)d: name the item that does the step, or where it is taken."), index=index
        )


def step_items(plain: list) -> list[str]:
    """The codes of the items the rule's steps are taken through (for checking that they exist)."""
    return [entry["step"]["item"] for entry in plain if "step" in entry and entry["step"].get("item")]


def _shown(name: str, facts: dict, today: datetime.date) -> str:
    """A value a met sentence names. A sentence saved before the check on what is known when met
    may name one its condition did not need: it is not known, and shows as "?", never as "None"."""
    if name == "age":  # the age the rule itself reckoned with
        born = facts.get("birth_date")
        return "?" if born is None else str(age_on(born, today))
    value = facts.get(name)
    if value is None:
        return "?"
    if isinstance(value, (str, bool)) and value in VALUE_WORDS:
        return str(VALUE_WORDS[value])
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}" if value >= 10_000 else str(value)
    return str(value)


@dataclass(frozen=True)
class Step:
    """Something the resident can do to meet a condition: its words, the item that does it (code and
    name, empty when none does), where it is taken in words (may be empty), and the nearest place
    for it when the page knows the resident's village (filled by the page that knows places)."""

    condition: int  # 1-based, as the rule's sentences are numbered
    text: str
    item_code: str = ""
    item_name: str = ""
    where: str = ""
    nearest: dict | None = None


@dataclass(frozen=True)
class PlainExplanation(Explanation):
    """As Explanation, with the steps still to take (unmet conditions marked as steps) and what the
    rule says once they are taken (`after_steps`: True, None for "we need to know more", False)."""

    steps: list[Step] = field(default_factory=list)
    after_steps: bool | None = None


def _language() -> str:
    return "zh" if (translation.get_language() or "zh").startswith("zh") else "en"


def _and(outcomes: list[bool | None]) -> bool | None:
    if any(o is False for o in outcomes):
        return False
    return None if any(o is None for o in outcomes) else True


def step_of(entry: dict, condition: int, item_names: dict[str, str]) -> Step:
    """A condition's step in the reader's language."""
    step, language = entry["step"], _language()
    code = step.get("item", "")
    where = step.get("where") or {}
    return Step(condition, step[language], code, item_names.get(code, ""), where.get(language, ""))


def explain_plainly(
    rule: Rule, plain: list, facts: dict, today: datetime.date, item_names: dict[str, str] | None = None
) -> PlainExplanation:
    """What is met, in sentences with the person's own values; what is not known, as questions; what
    is not met, by its sentence; and the conditions not met that the resident can meet by a step,
    as steps (`item_names`: the names of the items that do them, by code)."""
    language = _language()
    met, not_met, unknown, steps, outcomes = [], [], [], [], []
    for number, (condition, entry) in enumerate(zip(rule.conditions, plain, strict=True), start=1):
        outcome = _scalar(condition, facts, today)
        words = entry[language]
        # the sentence with the values it names (only those: a condition met by one side of an
        # "or" may not know the others); not met, it is shown with the person's values beside it
        sentence = words["met"].format_map({n: _shown(n, facts, today) for n in _placeholders(words["met"])})
        if outcome is True:
            met.append(sentence)
        elif outcome is None:
            unknown.append(words["ask"])
        elif "step" in entry:
            steps.append(step_of(entry, number, item_names or {}))
            outcome = True  # taken, the step meets it
        else:
            not_met.append(sentence)
        outcomes.append(outcome)
    return PlainExplanation(
        evaluate(rule, facts, today), met, not_met, unknown, steps=steps, after_steps=_and(outcomes)
    )


def steps_sentence(steps: list[Step], item_name: str) -> str:
    """ "您可以:先办失业登记,再办理失业保险金申领。" — the steps in the rule's order, then the item."""
    then = str(_("apply for %(item)s") % {"item": item_name})
    if len(steps) == 1:
        return str(_("You can: first %(first)s, then %(then)s.") % {"first": steps[0].text, "then": then})
    return str(
        _("You can: first %(first)s, then %(middle)s, and then %(then)s.")
        % {"first": steps[0].text, "middle": str(_(", then ")).join(s.text for s in steps[1:]), "then": then}
    )
