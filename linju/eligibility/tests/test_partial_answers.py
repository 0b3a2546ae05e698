"""The self-check answers any part of its questions: a condition met by one side of an "or" is
explained without reading what the other side needs, a met sentence may name only what is known
whenever its condition is met (checked when the rule is saved), and every rule of the demo gives a
sensible verdict for random partial answers."""

import ast
import datetime
import json

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from linju.eligibility.api import CheckIn
from linju.eligibility.plain import (
    PlainWordsError,
    check_plain_words,
    explain_plainly,
    known_when_met,
)
from linju.eligibility.rules import evaluate, parse_rule
from linju.eligibility.samples import SAMPLE_RULES, words
from linju.eligibility.services import facts_from_answers

from .test_steps import sample_rules  # noqa: F401  (the demo's rules over the demo's items)

TODAY = datetime.date(2026, 11, 26)
RULES = [(code, parse_rule(expression), plain) for code, _d, expression, plain in SAMPLE_RULES]


def test_the_public_self_check_explains_an_or_met_by_its_other_side(client, sample_rules):  # noqa: F811
    """Out of work, registered and with a disability, age not given: 就业困难人员认定 is met by the
    disability side of "45 or older, or a disability, or 低保" (it read the absent age: a 500)."""
    body = {"employment_status": "unemployed", "registered_unemployed": True, "disability_level": 1}
    response = client.post(
        "/api/v1/eligibility/check",
        json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    answer = next(a for a in response.json() if a["item_code"] == "EM-002")
    assert answer["eligible"] is True and "您年满45岁,或有残疾,或家里享受低保" in answer["reasons"]
    said = json.dumps(response.json(), ensure_ascii=False)
    assert "None" not in said and "{" not in said.replace('{"', "")


@pytest.mark.parametrize(
    "expression, known",
    [
        ("age() >= 45 or disability_level >= 1", set()),
        ("age() >= 45 and disability_level >= 1", {"age", "disability_level"}),
        (
            "(income_per_capita < 1000 or subsistence_allowance) and income_per_capita > 0",
            {"income_per_capita"},
        ),
        ("not (receives_pension or pension_insured)", {"receives_pension", "pension_insured"}),
        ("not (receives_pension and pension_insured)", set()),
        (
            "(income_per_capita < 1000 and household_size > 2) or income_per_capita < 500",
            {"income_per_capita"},
        ),
        ("16 <= age() < 60", {"age"}),
        ("not (16 <= age() < household_size)", {"age"}),  # either pair that fails reads age
        ("not (16 <= age() < 60)", {"age"}),
        ("months_since(hardship_on) <= 3", {"hardship_on"}),
    ],
)
def test_what_is_known_whenever_a_condition_is_met(expression, known):
    assert known_when_met(parse_rule(expression).tree.body) == known


OR_RULE = parse_rule("(subsistence_allowance or income_per_capita < 1000) and medical_expenses_12m >= 10000")
NAMES_AN_OR_SIDE = [
    words("您家每人每月收入{income_per_capita}元", "?", "You have {income_per_capita} yuan", "?"),
    words("您看病花了{medical_expenses_12m}元", "?", "You spent {medical_expenses_12m} yuan", "?"),
]


def test_a_met_sentence_naming_one_side_of_an_or_is_refused_in_words():
    with translation.override("zh-hans"), pytest.raises(PlainWordsError) as refusal:
        check_plain_words(OR_RULE, NAMES_AN_OR_SIDE)
    assert "{income_per_capita}" in refusal.value.text() and "另一边" in refusal.value.text()


def test_an_unchecked_sentence_shows_an_unknown_value_as_a_question_mark():
    with translation.override("en"):
        said = explain_plainly(
            OR_RULE, NAMES_AN_OR_SIDE, {"subsistence_allowance": True, "medical_expenses_12m": 12000}, TODAY
        )
    assert said.eligible is True
    assert said.met == ["You have ? yuan", "You spent 12,000 yuan"]


BOOL = st.booleans()
MONTHS = st.integers(0, 1200)
YUAN = st.integers(0, 100_000_000)
ANSWERS = {
    "age": st.integers(0, 120),
    "employment_status": st.sampled_from(
        ["unemployed", "employed", "flexible", "farming", "retired", "student", "x"]
    ),
    "job_loss_cause": st.sampled_from(["involuntary", "voluntary", "other"]),
    "months_since_job_loss": MONTHS,
    "registered_unemployed": BOOL,
    "unemployment_insured": BOOL,
    "unemployment_contribution_months": MONTHS,
    "pension_insured": BOOL,
    "pension_contribution_months": MONTHS,
    "medical_insured": BOOL,
    "receives_pension": BOOL,
    "disability_level": st.integers(0, 4),
    "household_size": st.integers(1, 50),
    "income_per_capita": YUAN,
    "medical_expenses_12m": YUAN,
    "subsistence_allowance": BOOL,
    "hardship_recently": BOOL,
}


def test_the_property_test_asks_every_question_of_the_self_check():
    assert set(ANSWERS) == set(CheckIn.model_fields)


def _known(name: str, facts: dict) -> bool:
    return facts.get("birth_date" if name == "age" else name) is not None


@settings(max_examples=300, deadline=None)
@given(answers=st.fixed_dictionaries({}, optional=ANSWERS), language=st.sampled_from(["zh-hans", "en"]))
def test_every_demo_rule_gives_a_sensible_verdict_for_any_partial_answers(answers, language):
    facts = facts_from_answers(answers, TODAY)
    for code, rule, plain in RULES:
        with translation.override(language):
            said = explain_plainly(rule, plain, facts, TODAY, item_names={})
        assert said.eligible == evaluate(rule, facts, TODAY), code
        assert len(said.met) + len(said.not_met) + len(said.unknown) + len(said.steps) == len(plain), code
        if said.eligible is True:
            assert not (said.not_met or said.unknown or said.steps), code
        elif said.eligible is False:
            assert said.not_met or said.steps, code
        else:
            assert said.unknown and not said.not_met and not said.steps, code
        assert said.after_steps == (False if said.not_met else None if said.unknown else True), code
        for sentence in said.met:
            assert "None" not in sentence and "?" not in sentence and "{" not in sentence, (code, sentence)
        for sentence in said.not_met:
            assert "None" not in sentence and "{" not in sentence, (code, sentence)
        # what a met sentence may name is known whenever its condition is met
        for condition in rule.conditions:
            if evaluate(parse_rule(ast.unparse(condition)), facts, TODAY) is True:
                assert all(_known(name, facts) for name in known_when_met(condition)), (code, condition)
