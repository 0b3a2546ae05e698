"""The self-check speaks Chinese, not formulas: each condition's sentence and question
are written with the rule and checked on save; the page shows sentences with the person's own values,
questions for what is not known, can be printed, and sends its items to the resident's own phone."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from linju.eligibility.models import EligibilityRule
from linju.eligibility.plain import PlainWordsError, check_plain_words, explain_plainly
from linju.eligibility.rules import parse_rule
from linju.eligibility.samples import SAMPLE_RULES, age_between, words
from linju.notify.models import OutboxMessage

TODAY = datetime.date(2026, 11, 26)
RULE = parse_rule('(age() >= 16 and age() < 60) and employment_status == "unemployed"')
GOOD = [
    age_between(16, 60),
    words("您现在没有工作", "您现在有工作吗?", "You are out of work", "Do you work?"),
]
FORMULA_SIGNS = ("≥", "≤", " < ", " > ", "属于", "age()", "registered_unemployed", "不是 ", "==")


def test_every_sample_rule_has_its_sentences():
    for _code, _label, expression, plain in SAMPLE_RULES:
        check_plain_words(parse_rule(expression), plain)


@pytest.mark.parametrize(
    "plain, words_in_refusal",
    [
        (GOOD[:1], "2 个条件"),
        ([GOOD[0], {"zh": GOOD[1]["zh"]}], "英文"),
        ([GOOD[0], {"zh": {"met": "好"}, "en": GOOD[1]["en"]}], "要问的问题"),
        ([GOOD[0], words("", "?", "x", "?")], "1 到 120"),
        ([GOOD[0], words("您{income_per_capita}元", "?", "x", "?")], "{income_per_capita} 不是"),
        ([words("您今年{age}岁", "您{age}岁吗?", "x", "?"), GOOD[1]], "问题里不能用"),
        ([words("您今年{age岁", "?", "x", "?"), GOOD[1]], "花括号"),
        ("not a list", "2 个条件"),
    ],
)
def test_sentences_that_do_not_fit_the_rule_are_refused_in_words(plain, words_in_refusal):
    with pytest.raises(PlainWordsError) as refusal:
        check_plain_words(RULE, plain)
    assert words_in_refusal in refusal.value.text()


def test_a_rule_is_saved_only_with_its_sentences(served):
    rule = EligibilityRule(
        item=served.ui,
        expression='(age() >= 16 and age() < 60) and employment_status == "unemployed"',
        description="示例",
        plain=GOOD[:1],
        valid_from=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as refusal:
        rule.full_clean()
    assert "plain" in refusal.value.message_dict
    rule.plain = GOOD
    rule.full_clean()


def test_sentences_carry_the_persons_own_values_and_questions_what_is_unknown():
    facts = {"birth_date": datetime.date(1991, 5, 1)}
    with translation.override("zh-hans"):
        said = explain_plainly(RULE, GOOD, facts, TODAY)
    assert (
        said.eligible is None
        and said.met == ["您今年35岁,在16到60岁之间"]
        and said.unknown == ["您现在有工作吗?"]
    )
    with translation.override("en"):
        said = explain_plainly(RULE, GOOD, facts | {"employment_status": "unemployed"}, TODAY)
    assert said.eligible is True and said.met == ["You are 35, between 16 and 60", "You are out of work"]


def test_the_self_check_page_speaks_in_sentences_and_sends_its_list(
    client, served, django_capture_on_commit_callbacks
):
    from linju.catalog.tests.factories import ServiceItemFactory
    from linju.demo.eligibility import load_rules

    ServiceItemFactory(code="UI-001", name="失业登记", time_limit_days=0)
    load_rules()
    answers = {"age": 35, "employment_status": "unemployed", "job_loss_cause": "involuntary"}
    page = client.post("/self-check/", answers, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    result = page.split('<section class="self-check-result">')[1].split("</section>")[0]
    assert "您今年35岁,在16到60岁之间" in result
    assert "还需要确认" in result and "您是否已经做了失业登记" in result
    for sign in FORMULA_SIGNS:
        assert sign not in result, sign
    assert 'action="/self-check/text/"' in result and "打印" in result
    codes = result.split('name="items" value="')[1].split('"')[0].split(",")
    assert "UI-001" in codes
    # the list to one's own phone: names and the station, nothing answered
    sent = client.post(
        "/self-check/text/", {"phone": "13800001234", "town": "500110113000", "items": ",".join(codes)}
    )
    assert sent.status_code == 200
    text = OutboxMessage.objects.get(purpose="self_check")
    assert text.phone == "13800001234" and "失业登记" in text.text and "永新镇社保服务所" in text.text
    assert "35" not in text.text
    landline = client.post(
        "/self-check/text/", {"phone": "023-48621234", "town": "500110113000", "items": "UI-001"}
    )
    assert landline.status_code == 400 and "座机" in landline.content.decode()
    unknown = client.post(
        "/self-check/text/", {"phone": "13800001234", "town": "500110113000", "items": "NOPE"}
    )
    assert unknown.status_code == 400 and "请先查一查,再发送查到的事项" in unknown.content.decode()
    assert OutboxMessage.objects.filter(purpose="self_check").count() == 1
    for _ in range(2):
        client.post("/self-check/text/", {"phone": "13800001234", "town": "500110113000", "items": "UI-001"})
    fourth = client.post(
        "/self-check/text/", {"phone": "13800001234", "town": "500110113000", "items": "UI-001"}
    )
    assert fourth.status_code == 429 and OutboxMessage.objects.filter(purpose="self_check").count() == 3


def test_loading_the_rules_gives_an_example_rule_without_sentences_its_sentences(served):
    from linju.catalog.tests.factories import ServiceItemFactory
    from linju.demo.eligibility import load_rules

    ServiceItemFactory(code="UI-001", name="失业登记", time_limit_days=0)  # where its step is taken

    code, description, expression, _plain = next(r for r in SAMPLE_RULES if r[0] == "UI-002")
    old = EligibilityRule.objects.create(
        item=served.ui,
        expression=expression,
        description=description,
        valid_from=datetime.date(2014, 1, 1),
        is_example=True,
    )
    load_rules()
    old.refresh_from_db()
    assert len(old.plain) == len(parse_rule(old.expression).conditions)


@pytest.mark.parametrize(
    ("language", "says"), [("zh-hans", "您的年龄不能小于0。"), ("en", "Your age cannot be less than 0.")]
)
def test_the_self_check_refuses_a_negative_age_in_its_own_plain_words(client, db, language, says):
    try:
        html = client.post("/self-check/", {"age": -5}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    finally:
        translation.deactivate()  # the language the request turned on goes with the test
    assert says in html and "确保" not in html and "Ensure" not in html
