"""Rules in sentences a resident reads (issue 19, 8): every top-level condition of a rule carries
a sentence for when it is met ("您今年35岁,在16到60岁之间") and a question for when it is not known
("您是否已经做了失业登记?"), in Chinese and English, written with the rule and checked when it is
saved. A met sentence may name the person's own values in braces ({age}, or a fact the condition
reads); a question names none, since what it asks is not known.

    [{"zh": {"met": "您今年{age}岁,在16到60岁之间", "ask": "请告诉我们您的年龄。"},
      "en": {"met": "You are {age}, between 16 and 60", "ask": "How old are you?"}}, …]
"""

from __future__ import annotations

import ast
import datetime
import string
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from linju.core.errors import DomainError
from linju.core.periods import age_on

from .rules import FACTS, VALUE_WORDS, Explanation, Rule, _scalar, evaluate

LANGUAGES = ("zh", "en")
PARTS = ("met", "ask")
MAX_SENTENCE = 120


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
        if not isinstance(entry, dict) or set(entry) != set(LANGUAGES):
            raise _refuse(
                _("Condition %(index)d: give the words in Chinese (zh) and English (en)."), index=index
            )
        allowed = names_in(condition)
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
                if named - allowed:
                    raise _refuse(
                        _(
                            "Condition %(index)d: {%(name)s} is not a value this condition reads (it may name: %(allowed)s)."
                        ),
                        index=index,
                        name=sorted(named - allowed)[0],
                        allowed="、".join(sorted(allowed)) or "—",
                    )


def _shown(name: str, facts: dict, today: datetime.date) -> str:
    if name == "age":  # the age the rule itself reckoned with
        return str(age_on(facts["birth_date"], today))
    value = facts.get(name)
    if isinstance(value, (str, bool)) and value in VALUE_WORDS:
        return str(VALUE_WORDS[value])
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}" if value >= 10_000 else str(value)
    return str(value)


def explain_plainly(rule: Rule, plain: list, facts: dict, today: datetime.date):
    """What is met, in sentences with the person's own values; what is not known, as questions; what
    is not met, by its sentence (the self-check shows no rule with a condition not met)."""
    language = "zh" if (translation.get_language() or "zh").startswith("zh") else "en"
    met, not_met, unknown = [], [], []
    for condition, entry in zip(rule.conditions, plain, strict=True):
        outcome = _scalar(condition, facts, today)
        words = entry[language]
        if outcome is True:
            met.append(words["met"].format_map({n: _shown(n, facts, today) for n in names_in(condition)}))
        elif outcome is None:
            unknown.append(words["ask"])
        else:
            not_met.append(words["met"])
    return Explanation(evaluate(rule, facts, today), met, not_met, unknown)
