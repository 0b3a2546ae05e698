import datetime

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from linju.eligibility.rules import (
    FACTS,
    RuleError,
    columns_from_rows,
    evaluate,
    evaluate_columns,
    explain,
    parse_rule,
)
from linju.eligibility.samples import SAMPLE_RULES

TODAY = datetime.date(2026, 11, 26)
UNEMPLOYED = {
    "birth_date": datetime.date(1988, 5, 1),
    "unemployment_contribution_months": 36,
    "job_loss_cause": "involuntary",
    "registered_unemployed": True,
    "receives_pension": False,
    "employment_status": "unemployed",
}
UI_RULE = parse_rule(SAMPLE_RULES[0][2])


def test_the_sample_rules_all_parse():
    assert len(SAMPLE_RULES) >= 12
    for _code, _label, source, _plain in SAMPLE_RULES:
        assert parse_rule(source).facts_used() <= set(FACTS)


@pytest.mark.parametrize(
    ("source", "line", "column", "fragment"),
    [
        ("age() >= 16 and salary > 3", 1, 17, "salary"),
        ("__import__('os')", 1, 1, "age()"),
        ("open('x').read()", 1, 1, "age()"),
        ("income_per_capita ** 2 > 4", 1, 1, "+ - * /"),
        ("[x for x in household_size]", 1, 1, "ListComp"),
        ("age() >= 16 and", 1, 16, "well-formed"),
        ("household_size > 1 if True else 2", 1, 1, "IfExp"),
        ("months_since(household_size) < 3", 1, 14, "date"),
        ("birth_date.year > 1990", 1, 1, "Attribute"),
        ("lambda: 1", 1, 1, "Lambda"),
        ("age(1) > 3", 1, 1, "takes 0"),
    ],
)
def test_bad_rules_are_refused_with_their_position(source, line, column, fragment):
    with pytest.raises(RuleError) as error:
        parse_rule(source)
    with translation.override("en"):
        text = error.value.text()
    assert f"Line {line}, column {column}" in text, text
    assert fragment in text
    with translation.override("zh-hans"):
        assert f"第 {line} 行第 {column} 列" in error.value.text()


def test_evaluate_eligible_not_eligible_and_unknown():
    assert evaluate(UI_RULE, UNEMPLOYED, TODAY) is True
    assert evaluate(UI_RULE, UNEMPLOYED | {"unemployment_contribution_months": 6}, TODAY) is False
    missing = {k: v for k, v in UNEMPLOYED.items() if k != "registered_unemployed"}
    assert evaluate(UI_RULE, missing, TODAY) is None
    # a known false condition decides even with a fact missing
    assert evaluate(UI_RULE, missing | {"job_loss_cause": "voluntary"}, TODAY) is False


def test_explanation_lists_met_unmet_and_unknown_conditions():
    facts = {k: v for k, v in UNEMPLOYED.items() if k != "registered_unemployed"} | {
        "unemployment_contribution_months": 6
    }
    result = explain(UI_RULE, facts, TODAY)
    assert result.eligible is False
    assert any(
        "months of unemployment insurance contributions" in c or "失业保险缴费" in c for c in result.not_met
    )
    assert any("registered" in c or "失业登记" in c for c in result.unknown)
    assert len(result.met) == 3


def test_age_and_months_since():
    rule = parse_rule("age() == 38 and months_since(job_lost_on) == 2 and days_since(job_lost_on) == 61")
    assert (
        evaluate(
            rule, {"birth_date": datetime.date(1988, 5, 1), "job_lost_on": datetime.date(2026, 9, 26)}, TODAY
        )
        is True
    )


FACT_VALUES = {
    "date": st.one_of(st.none(), st.dates(min_value=datetime.date(1930, 1, 1), max_value=TODAY)),
    "str": st.one_of(
        st.none(),
        st.sampled_from(
            ["unemployed", "employed", "farming", "flexible", "involuntary", "voluntary", "illness"]
        ),
    ),
    "bool": st.one_of(st.none(), st.booleans()),
    "number": st.one_of(st.none(), st.integers(min_value=0, max_value=20000)),
}
people = st.lists(
    st.fixed_dictionaries({name: FACT_VALUES[kind] for name, (kind, _label) in FACTS.items()}),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(people)
def test_one_meaning_two_engines(rows):
    _engines_agree([source for _code, _label, source, _plain in SAMPLE_RULES], rows)


def _engines_agree(sources: list[str], rows: list[dict]) -> None:
    """Each rule says the same of each person through the columns as through the person's facts."""
    columns = columns_from_rows(rows)
    for source in sources:
        rule = parse_rule(source)
        eligible, known = evaluate_columns(rule, columns, TODAY)
        for index, facts in enumerate(rows):
            one = evaluate(rule, facts, TODAY)
            assert (one is not None) == bool(known[index]), (source, facts)
            assert (one is True) == bool(eligible[index]), (source, facts)


TEXT_RULES = [
    'employment_status == "unemployed"',
    '"farming" == employment_status',
    'employment_status != "retired"',
    'employment_status == "not a word of theirs"',
    'employment_status in ["farming", "nobody"]',
    'employment_status not in ["farming", "employed"]',
    'employment_status < "g"',
    "employment_status == job_loss_cause",
    'not hardship_kind == "illness" or job_loss_cause == "voluntary"',
]
texts = st.one_of(
    st.none(), st.sampled_from(["", "unemployed", "farming", "retired", "involuntary", "illness"])
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({n: texts for n, (k, _l) in FACTS.items() if k == "str"}), min_size=1))
def test_text_held_as_codes_means_what_the_words_mean(rows):
    """Text columns hold codes into their words; every kind of comparison of text still agrees
    with the one-person engine (equality by codes, ordering and text against text by the words)."""
    assert all(columns_from_rows(rows)[n].words is not None for n in rows[0])
    _engines_agree(TEXT_RULES, rows)


@pytest.mark.parametrize(
    "source",
    [
        "'a' * 10",  # a TypeError while explaining (the eager dict of results)
        "'a' * 100000000",  # would build a 100 MB text
        "-" * 990 + "1",  # a RecursionError on the way down
        "not " * 60 + "True",
        "employment_status < 5",  # text against a number
        "age() in 60",
        "-employment_status == 1",
    ],
)
def test_operands_are_checked_before_anything_is_evaluated(source):
    with pytest.raises(RuleError):
        parse_rule(source)


def test_the_trial_page_answers_bad_rules_in_words(client, db):
    from linju.accounts.tests.factories import UserFactory

    client.force_login(UserFactory(username="writer"))
    for source in ("'a' * 10", "-" * 990 + "1", "employment_status < 5"):
        response = client.post("/staff/discovery/try/", {"expression": source})
        assert response.status_code == 200 and 'role="alert"' in response.content.decode()
