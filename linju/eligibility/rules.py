"""Eligibility rules as data: a small, safe expression language over a resident's facts.

    unemployment_contribution_months >= 12 and job_loss_cause == "involuntary"
        and registered_unemployed and not receives_pension and age() < 60

Parsed with Python's `ast` and a whitelist: names of known facts, numbers, strings, True/False,
lists of constants, `and`/`or`/`not`, comparisons (== != < <= > >= in, not in), + - * /, and the
functions age(), months_since(date_fact) and days_since(date_fact). Anything else is refused with
its line and column. Nothing is ever passed to eval.

A missing fact is unknown, and unknown spreads the way it does in SQL (three-valued logic):
`False and unknown` is False, `True and unknown` is unknown.

Two engines, one meaning: `evaluate` for one person (plain Python values, None for unknown) and
`evaluate_columns` for a whole registry (numpy arrays with a "known" mask per value).
"""

from __future__ import annotations

import ast
import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext_lazy as _

from linju.core.errors import DomainError
from linju.core.periods import age_on

# name: (kind, label shown in explanations)
FACTS: dict[str, tuple[str, Any]] = {
    "birth_date": ("date", _("birth date")),
    "employment_status": ("str", _("work situation")),
    "job_lost_on": ("date", _("date of job loss")),
    "job_loss_cause": ("str", _("cause of job loss")),
    "registered_unemployed": ("bool", _("registered as unemployed")),
    "unemployment_insured": ("bool", _("unemployment insurance")),
    "unemployment_contribution_months": ("number", _("months of unemployment insurance contributions")),
    "pension_insured": ("bool", _("pension insurance")),
    "pension_contribution_months": ("number", _("months of pension contributions")),
    "medical_insured": ("bool", _("medical insurance")),
    "receives_pension": ("bool", _("receives a pension")),
    "disability_level": ("number", _("disability level (0 none, 1 most severe … 4)")),
    "household_size": ("number", _("people in the household")),
    "income_per_capita": ("number", _("monthly income per person in the household (yuan)")),
    "medical_expenses_12m": ("number", _("medical costs of the last 12 months (yuan)")),
    "subsistence_allowance": ("bool", _("receives the subsistence allowance (低保)")),
    "hardship_on": ("date", _("date of a recent hardship")),
    "hardship_kind": ("str", _("kind of hardship")),
}
FUNCTIONS = {"age": 0, "months_since": 1, "days_since": 1}
MAX_LENGTH = 1000
MAX_DEPTH = 50  # nested parentheses or signs: "- - - … 1" is refused before anything walks it
ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


class RuleError(DomainError):
    code = "invalid_rule"


class _Message:
    """A translatable message with its values, rendered only when shown (in the reader's language)."""

    def __init__(self, message, params: dict) -> None:
        self.message, self.params = message, params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


def _error(node: ast.AST | None, message, **params) -> RuleError:
    line, column = (getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1) if node else (1, 1)
    return RuleError(
        _("Line %(line)d, column %(column)d: %(message)s"),
        params={"line": line, "column": column, "message": _Message(message, params)},
        field="expression",
    )


ALLOWED_COMPARE = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)
ALLOWED_BINOP = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def _check(node: ast.AST) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.Not, ast.USub)):
            raise _error(node, _("only “not” and a minus sign may stand before a value"))
        _check(node.operand)
    elif isinstance(node, ast.Compare):
        for op in node.ops:
            if not isinstance(op, ALLOWED_COMPARE):
                raise _error(node, _("this comparison is not allowed; use == != < <= > >= in"))
        _check(node.left)
        for comparator in node.comparators:
            _check(comparator)
    elif isinstance(node, ast.BinOp):
        if not isinstance(node.op, ALLOWED_BINOP):
            raise _error(node, _("only + - * / are allowed"))
        _check(node.left)
        _check(node.right)
    elif isinstance(node, ast.Name):
        if node.id not in FACTS:
            raise _error(node, _("“%(name)s” is not a known fact"), name=node.id)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, (int, float, str, bool)) or node.value is None:
            raise _error(node, _("only numbers, text, True and False may be written"))
    elif isinstance(node, (ast.List, ast.Tuple)):
        for element in node.elts:
            if not isinstance(element, ast.Constant):
                raise _error(element, _("a list may hold only numbers or text"))
            _check(element)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise _error(node, _("only age(), months_since() and days_since() may be called"))
        if node.keywords or len(node.args) != FUNCTIONS[node.func.id]:
            raise _error(
                node,
                _("%(name)s() takes %(count)d value(s)"),
                name=node.func.id,
                count=FUNCTIONS[node.func.id],
            )
        for arg in node.args:
            if not (isinstance(arg, ast.Name) and FACTS.get(arg.id, ("",))[0] == "date"):
                raise _error(arg, _("%(name)s() takes a date fact"), name=node.func.id)
    else:
        raise _error(node, _("“%(what)s” is not allowed in a rule"), what=type(node).__name__)


@dataclass(frozen=True)
class Rule:
    source: str
    tree: ast.Expression

    @property
    def conditions(self) -> list[ast.expr]:
        """The top-level conditions joined by “and”, each explained on its own."""
        body = self.tree.body
        if isinstance(body, ast.BoolOp) and isinstance(body.op, ast.And):
            return list(body.values)
        return [body]

    def facts_used(self) -> set[str]:
        return {n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and n.id in FACTS}


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _kind(node: ast.AST) -> str:
    """What a checked expression gives: number, str, bool, date or list. Operands are checked here,
    before anything is evaluated: arithmetic takes numbers, ordering takes two of a kind, `in` takes
    a list. So no rule can build a long text or list, or compare text with a number."""
    if (
        isinstance(node, (ast.BoolOp, ast.Compare))
        or isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.Not)
    ):
        if isinstance(node, ast.BoolOp):
            for value in node.values:
                _kind(value)
        elif isinstance(node, ast.UnaryOp):
            _kind(node.operand)
        else:
            kinds = [_kind(node.left)] + [_kind(c) for c in node.comparators]
            for op, left, right, at in zip(node.ops, kinds[:-1], kinds[1:], node.comparators, strict=True):
                if isinstance(op, (ast.In, ast.NotIn)) and right != "list":
                    raise _error(at, _('“in” needs a list after it, like ["a", "b"]'))
                if isinstance(op, ORDERING) and not (left == right and left in ("number", "str", "date")):
                    raise _error(
                        node, _("only a number with a number, or text with text, can be compared by size")
                    )
        return "bool"
    if isinstance(node, ast.UnaryOp):  # the minus sign
        if _kind(node.operand) != "number":
            raise _error(node, _("a minus sign goes before a number"))
        return "number"
    if isinstance(node, ast.BinOp):
        if _kind(node.left) != "number" or _kind(node.right) != "number":
            raise _error(node, _("only numbers can be added, subtracted, multiplied or divided"))
        return "number"
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return "bool"
        return "str" if isinstance(node.value, str) else "number"
    if isinstance(node, ast.Name):
        return FACTS[node.id][0]
    if isinstance(node, ast.Call):
        return "number"
    return "list"  # ast.List / ast.Tuple of constants (checked by _check)


def parse_rule(source: str) -> Rule:
    if len(source) > MAX_LENGTH:
        raise _error(None, _("a rule has at most 1000 characters"))
    if not source.strip():
        raise _error(None, _("the rule is empty"))
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except (RecursionError, MemoryError):
        raise _error(None, _("the rule is nested too deeply")) from None
    except SyntaxError as error:
        if not error.offset:  # Python points nowhere when the rule stops halfway: point at its end
            lines = source.strip().splitlines() or [""]
            node = ast.Constant(value=0, lineno=len(lines), col_offset=len(lines[-1]))
            raise _error(node, _("this is not a well-formed rule: it ends too early")) from None
        node = ast.Constant(value=0, lineno=error.lineno or 1, col_offset=error.offset - 1)
        raise _error(node, _("this is not a well-formed rule")) from None
    if _depth(tree) > MAX_DEPTH:
        raise _error(None, _("the rule is nested too deeply"))
    _check(tree.body)
    _kind(tree.body)
    return Rule(source=source.strip(), tree=tree)


# One person ---------------------------------------------------------------------------------------


def _months_between(earlier: datetime.date, later: datetime.date) -> int:
    return (
        (later.year - earlier.year) * 12 + later.month - earlier.month - (1 if later.day < earlier.day else 0)
    )


def _scalar(node: ast.AST, facts: dict, today: datetime.date):
    if isinstance(node, ast.BoolOp):
        values = [_scalar(v, facts, today) for v in node.values]
        if isinstance(node.op, ast.And):
            return (
                False
                if any(v is False for v in values)
                else (None if any(v is None for v in values) else True)
            )
        return True if any(v is True for v in values) else (None if any(v is None for v in values) else False)
    if isinstance(node, ast.UnaryOp):
        value = _scalar(node.operand, facts, today)
        if value is None:
            return None
        return (not value) if isinstance(node.op, ast.Not) else -value
    if isinstance(node, ast.Compare):
        left = _scalar(node.left, facts, today)
        result = True
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _scalar(comparator, facts, today)
            if left is None or right is None:
                outcome = None
            elif isinstance(op, ast.In):
                outcome = left in right
            elif isinstance(op, ast.NotIn):
                outcome = left not in right
            elif isinstance(op, ast.Eq):
                outcome = left == right
            elif isinstance(op, ast.NotEq):
                outcome = left != right
            elif isinstance(op, ast.Lt):
                outcome = left < right
            elif isinstance(op, ast.LtE):
                outcome = left <= right
            elif isinstance(op, ast.Gt):
                outcome = left > right
            else:
                outcome = left >= right
            result = (
                False
                if outcome is False or result is False
                else (None if outcome is None or result is None else True)
            )
            left = right
        return result
    if isinstance(node, ast.BinOp):
        left, right = _scalar(node.left, facts, today), _scalar(node.right, facts, today)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div):
            return None if right == 0 else left / right
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        return left * right
    if isinstance(node, ast.Name):
        return facts.get(node.id)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        return tuple(e.value for e in node.elts)
    if isinstance(node, ast.Call):
        name = node.func.id
        if name == "age":
            born = facts.get("birth_date")
            return None if born is None else age_on(born, today)
        day = facts.get(node.args[0].id)
        if day is None:
            return None
        return _months_between(day, today) if name == "months_since" else (today - day).days
    raise _error(node, _("“%(what)s” is not allowed in a rule"), what=type(node).__name__)


def evaluate(rule: Rule, facts: dict, today: datetime.date) -> bool | None:
    """True, False, or None when a needed fact is missing."""
    return _scalar(rule.tree.body, facts, today)


@dataclass(frozen=True)
class Explanation:
    eligible: bool | None
    met: list[str]
    not_met: list[str]
    unknown: list[str]


# Words for the values and operators people read in explanations (facts' own labels come from FACTS).
VALUE_WORDS = {
    "unemployed": _("unemployed"),
    "employed": _("employed"),
    "flexible": _("flexible work"),
    "farming": _("farming"),
    "retired": _("retired"),
    "student": _("student"),
    "involuntary": _("not by their own choice"),
    "voluntary": _("by their own choice"),
    True: _("yes"),
    False: _("no"),
}
OPERATOR_WORDS = {ast.Eq: "=", ast.NotEq: "≠", ast.Lt: "<", ast.LtE: "≤", ast.Gt: ">", ast.GtE: "≥"}
AND_WORD, OR_WORD, NOT_WORD = _("and"), _("or"), _("not")


def _words(node: ast.AST) -> str:
    """A condition in plain words: 失业保险缴费月数 ≥ 12, 失业原因 = 非本人意愿, 不是 领取养老金."""
    if isinstance(node, ast.BoolOp):
        joiner = f" {AND_WORD} " if isinstance(node.op, ast.And) else f" {OR_WORD} "
        return "(" + joiner.join(_words(v) for v in node.values) + ")"
    if isinstance(node, ast.UnaryOp):
        return (f"{NOT_WORD} " if isinstance(node.op, ast.Not) else "-") + _words(node.operand)
    if isinstance(node, ast.Compare):
        text = _words(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)):
                word = _("is one of") if isinstance(op, ast.In) else _("is none of")
                text += f" {word} {_words(comparator)}"
            else:
                text += f" {OPERATOR_WORDS[type(op)]} {_words(comparator)}"
        return text
    if isinstance(node, ast.BinOp):
        symbol = {ast.Add: "+", ast.Sub: "-", ast.Mult: "×", ast.Div: "÷"}[type(node.op)]
        return f"{_words(node.left)} {symbol} {_words(node.right)}"
    if isinstance(node, ast.Name):
        return str(FACTS[node.id][1])
    if isinstance(node, ast.Constant):
        word = VALUE_WORDS.get(node.value) if isinstance(node.value, (str, bool)) else None
        return str(word) if word is not None else str(node.value)
    if isinstance(node, (ast.List, ast.Tuple)):
        return "、".join(_words(e) for e in node.elts)
    if isinstance(node, ast.Call):
        if node.func.id == "age":
            return str(_("age"))
        label = FACTS[node.args[0].id][1]
        unit = _("months since") if node.func.id == "months_since" else _("days since")
        return f"{unit} {label}"
    return ast.unparse(node)


def _describe(node: ast.AST, source: str) -> str:
    return _words(node)


def explain(rule: Rule, facts: dict, today: datetime.date) -> Explanation:
    met, not_met, unknown = [], [], []
    for condition in rule.conditions:
        outcome = _scalar(condition, facts, today)
        (met if outcome is True else not_met if outcome is False else unknown).append(
            _describe(condition, rule.source)
        )
    return Explanation(evaluate(rule, facts, today), met, not_met, unknown)


# A whole registry ---------------------------------------------------------------------------------


@dataclass
class Column:
    """Values with a mask of which are known. Dates are days since 1970-01-01 (int64). Text is
    held as codes into `words` (words[0] is the blank): comparing small integers, and reading
    them from the database, costs a fraction of what arrays of strings cost."""

    values: np.ndarray
    known: np.ndarray
    words: tuple[str, ...] | None = None

    def code(self, word) -> int:
        """The code of a word (-1, matching nothing, for a word not among them)."""
        return self.words.index(word) if isinstance(word, str) and word in self.words else -1

    def texts(self) -> np.ndarray:
        """The values as strings (for what codes cannot answer: ordering, joining text)."""
        return np.asarray(self.words, dtype=str)[self.values] if self.words is not None else self.values


EPOCH = datetime.date(1970, 1, 1)


def _months_between_days(earlier: np.ndarray, later: datetime.date) -> np.ndarray:
    dates = (np.datetime64(EPOCH) + earlier.astype("timedelta64[D]")).astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    return (later.year - years) * 12 + later.month - months - (later.day < days).astype(np.int64)


def ages_column(birth_dates: Column, today: datetime.date) -> Column:
    """Whole years of age on the day, for a column of birth dates (what age() reads)."""
    return Column(_months_between_days(birth_dates.values, today) // 12, birth_dates.known)


class _Truth:
    """Three-valued truth over many rows as two masks: `true` (known and true) and `false` (known
    and false); unknown is neither. `false` is worked out only when something asks for it (a
    "not", an "or" of several parts, or the caller wanting the known mask), so a rule made of
    conditions joined by "and" costs what the same rule written by hand in numpy costs."""

    __slots__ = ("true", "_false", "_make_false")

    def __init__(self, true: np.ndarray, make_false) -> None:
        self.true, self._false, self._make_false = true, None, make_false

    @property
    def false(self) -> np.ndarray:
        if self._false is None:
            self._false = self._make_false()
        return self._false


ALL_KNOWN = np.asarray(True)


def _both(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """known & known, without touching a million rows when one side is a constant."""
    if a.ndim == 0 and a:
        return b
    if b.ndim == 0 and b:
        return a
    return a & b


def _as_bool(values: np.ndarray) -> np.ndarray:
    return values if values.dtype == bool else values.astype(bool)


def _equal_any(values: np.ndarray, choices: list) -> np.ndarray:
    """`values in [a, b, …]`: a few equality tests beat np.isin's sort for short lists."""
    if len(choices) > 8:
        return np.isin(values, choices)
    result = np.zeros(values.shape, dtype=bool)
    for choice in choices:
        result |= values == choice
    return result


def _comparable(left: Column, right: Column, op: ast.cmpop) -> tuple[np.ndarray, np.ndarray]:
    """Both sides' values for a comparison: a text column against one word compares codes;
    anything else with text (ordering, two text columns) compares the strings themselves."""
    if isinstance(op, (ast.Eq, ast.NotEq)):
        if left.words is not None and right.words is None and right.values.ndim == 0:
            return left.values, np.asarray(left.code(right.values.item()))
        if right.words is not None and left.words is None and left.values.ndim == 0:
            return np.asarray(right.code(left.values.item())), right.values
    return left.texts(), right.texts()


COMPARE = {
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
}


class _Engine:
    """Evaluates rules over columns. Sub-results shared by several rules (age(), `age() < 60`,
    `registered_unemployed`) are computed once per run: the memo lives as long as the engine."""

    def __init__(self, columns: dict[str, Column], today: datetime.date, memo: dict | None = None) -> None:
        self.columns, self.today = columns, today
        self.n = len(next(iter(columns.values())).values)
        self.memo = memo if memo is not None else {}

    def truth(self, node: ast.AST) -> _Truth:
        if isinstance(node, ast.BoolOp):
            parts = [self.truth(v) for v in node.values]
            if isinstance(node.op, ast.And):
                true = parts[0].true
                for p in parts[1:]:
                    true = true & p.true
                return _Truth(true, lambda: np.logical_or.reduce([p.false for p in parts]))
            true = np.logical_or.reduce([p.true for p in parts])
            return _Truth(true, lambda: np.logical_and.reduce([p.false for p in parts]))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.truth(node.operand)
            return _Truth(inner.false, lambda: inner.true)
        key = ast.dump(node)
        if key in self.memo:
            return self.memo[key]
        if isinstance(node, ast.Compare):
            result = self._compare(node)
        else:  # a value used as a condition: a yes/no fact, a number (non-zero is true)
            column = self.value(node)
            values = np.broadcast_to(_as_bool(column.values), (self.n,))
            known = np.broadcast_to(column.known, (self.n,))
            result = _Truth(known & values, lambda: known & ~values)
        self.memo[key] = result
        return result

    def _compare(self, node: ast.Compare) -> _Truth:
        left = self.value(node.left)
        parts = []
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, (ast.In, ast.NotIn)) and isinstance(comparator, (ast.List, ast.Tuple)):
                right = Column(np.asarray(0), ALL_KNOWN)
                choices = [e.value for e in comparator.elts]
                if left.words is None:
                    outcome = _equal_any(left.values, choices)
                else:
                    outcome = _equal_any(left.values, [left.code(c) for c in choices])
                if isinstance(op, ast.NotIn):
                    outcome = ~outcome
            else:
                right = self.value(comparator)
                outcome = COMPARE[type(op)](*_comparable(left, right, op))
            parts.append((_both(left.known, right.known), outcome))
            left = right
        true = None
        for known, outcome in parts:
            part = _both(known, outcome)
            true = part if true is None else true & part
        return _Truth(
            np.broadcast_to(true, (self.n,)),
            lambda: np.broadcast_to(np.logical_or.reduce([k & ~o for k, o in parts]), (self.n,)),
        )

    def value(self, node: ast.AST) -> Column:
        """Constants stay scalars (numpy broadcasts them); age() and the like are computed once."""
        if isinstance(node, (ast.BoolOp, ast.Compare)) or (
            isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)
        ):
            truth = self.truth(node)
            return Column(truth.true, truth.true | truth.false)
        if isinstance(node, ast.UnaryOp):  # minus
            inner = self.value(node.operand)
            return Column(-inner.values, inner.known)
        if isinstance(node, ast.BinOp):
            left, right = self.value(node.left), self.value(node.right)
            left, right = (Column(c.texts(), c.known) if c.words else c for c in (left, right))
            known = _both(left.known, right.known)
            if isinstance(node.op, ast.Div):
                zero = np.asarray(right.values == 0)
                with np.errstate(divide="ignore", invalid="ignore"):
                    values = np.where(zero, 0, left.values / np.where(zero, 1, right.values))
                return Column(values, known & ~zero)
            fn = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply}[type(node.op)]
            return Column(fn(left.values, right.values), known)
        if isinstance(node, ast.Name):
            return self.columns[node.id]
        if isinstance(node, ast.Constant):
            return Column(np.asarray(node.value), ALL_KNOWN)
        if isinstance(node, ast.Call):
            key = (node.func.id, node.args[0].id if node.args else "birth_date")
            if key not in self.memo:
                fact = self.columns[key[1]]
                if key[0] == "age":
                    self.memo[key] = ages_column(fact, self.today)
                elif key[0] == "months_since":
                    self.memo[key] = Column(_months_between_days(fact.values, self.today), fact.known)
                else:
                    self.memo[key] = Column((self.today - EPOCH).days - fact.values, fact.known)
            return self.memo[key]
        raise _error(node, _("“%(what)s” is not allowed in a rule"), what=type(node).__name__)


def eligible_columns(
    rule: Rule, columns: dict[str, Column], today: datetime.date, memo: dict | None = None
) -> np.ndarray:
    """Who is eligible (known and true), for every row. Pass one memo to share work across rules."""
    n = len(next(iter(columns.values())).values)
    if n == 0:
        return np.zeros(0, dtype=bool)
    return np.broadcast_to(_Engine(columns, today, memo).truth(rule.tree.body).true, (n,))


def evaluate_columns(
    rule: Rule, columns: dict[str, Column], today: datetime.date, memo: dict | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(eligible, known) for every row: eligible means known and true."""
    n = len(next(iter(columns.values())).values)
    if n == 0:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=bool)
    truth = _Engine(columns, today, memo).truth(rule.tree.body)
    true = np.broadcast_to(truth.true, (n,)).copy()
    return true, true | np.broadcast_to(truth.false, (n,))


def column_of(kind: str, raw: list) -> Column:
    """One fact for many people (None where unknown) as a column; dates become day numbers."""
    known = np.fromiter((v is not None for v in raw), dtype=bool, count=len(raw))
    if kind == "date":
        values = np.fromiter(
            ((v - EPOCH).days if v is not None else 0 for v in raw), dtype=np.int64, count=len(raw)
        )
    elif kind == "str":
        words = ("", *sorted({v for v in raw if v}))
        code = {word: index for index, word in enumerate(words)}
        values = np.fromiter((code[v] if v else 0 for v in raw), dtype=np.int16, count=len(raw))
        return Column(values, known, words)
    elif kind == "bool":
        values = np.fromiter((bool(v) for v in raw), dtype=bool, count=len(raw))
    else:
        values = np.fromiter(
            (float(v) if v is not None else 0.0 for v in raw), dtype=np.float64, count=len(raw)
        )
    return Column(values, known)


def columns_from_rows(rows: list[dict]) -> dict[str, Column]:
    """Facts of many people (dicts, None for missing) as columns."""
    return {name: column_of(kind, [row.get(name) for row in rows]) for name, (kind, _label) in FACTS.items()}


def validate_rule(value: str) -> None:
    """Model-field validator: the rule must parse."""
    from django.core.exceptions import ValidationError

    try:
        parse_rule(value)
    except RuleError as error:
        raise ValidationError(error.text()) from None
