"""A condition the resident can still meet by a step (registering as unemployed, enrolling, bringing a
paper) is no reason to say nothing: the self-check lists the item with "您可以:先……,再……" and the
place to take the step. Every sample rule is tried with a person made from its own conditions."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from linju.catalog.tests.factories import ServiceItemFactory
from linju.conftest_world import ServedTowns
from linju.demo.catalog import ITEMS
from linju.eligibility.models import EligibilityRule
from linju.eligibility.plain import PlainWordsError, check_plain_words, explain_plainly, step_items
from linju.eligibility.rules import evaluate, parse_rule
from linju.eligibility.samples import SAMPLE_RULES, words
from linju.eligibility.services import discovery_execute, discovery_start, facts_from_answers, self_check
from linju.eligibility.tests.factories import unemployed_facts
from linju.eligibility.tests.people import person_where
from linju.notify.models import OutboxMessage

TODAY = datetime.date(2026, 11, 26)
NAMES = {item[0]: item[2] for item in ITEMS}
# the article's resident: 45, laid off two months ago, never registered, knows nothing else
DIDNT_KNOW = {
    "age": 45,
    "employment_status": "unemployed",
    "job_loss_cause": "involuntary",
    "months_since_job_loss": 2,
    "registered_unemployed": False,
}
FORMULA_SIGNS = ("≥", "≤", "<", ">", "==", "()", "_", "{", "not ")


@pytest.fixture
def sample_rules(served) -> ServedTowns:
    """The demo's sample rules over items named as in the demo catalogue (and the items of their steps)."""
    from linju.catalog.models import ServiceItem
    from linju.demo.eligibility import load_rules

    codes = {code for code, *_rest in SAMPLE_RULES} | {
        c for *_r, plain in SAMPLE_RULES for c in step_items(plain)
    }
    for code in sorted(codes):
        if not ServiceItem.objects.filter(code=code).exists():
            ServiceItemFactory(code=code, name=NAMES[code], time_limit_days=0)
    ServiceItem.objects.filter(code="UI-002").update(name=NAMES["UI-002"])
    load_rules()
    assert EligibilityRule.objects.count() == len(SAMPLE_RULES)
    return served


def _answer(answers, code):
    with translation.override("zh-hans"):
        return next((a for a in self_check(answers=answers, today=TODAY) if a.item.code == code), None)


def test_the_resident_who_did_not_know_is_told_to_register_first_then_apply(sample_rules):
    benefit = _answer(DIDNT_KNOW, "UI-002")
    assert benefit is not None, "失业保险金申领 is listed"
    assert "先办失业登记" in benefit.steps_sentence
    assert benefit.steps_sentence == "您可以:先办失业登记,再办理失业保险金申领。"
    assert [(s.item_code, s.item_name) for s in benefit.steps] == [("UI-001", "失业登记")]
    # what else is needed is still asked, never dropped
    assert "您缴纳失业保险满12个月了吗?" in benefit.unknown
    assert _answer(DIDNT_KNOW, "UI-001") is not None  # and the step itself is listed
    # registered: nothing to do first
    assert _answer(DIDNT_KNOW | {"registered_unemployed": True}, "UI-002").steps == []


def test_a_rule_with_two_steps_names_them_in_order(sample_rules):
    flexible = {
        "age": 40,
        "employment_status": "flexible",
        "registered_unemployed": False,
        "pension_insured": False,
    }
    answer = _answer(flexible, "EM-007")
    assert answer.eligible is True
    assert answer.steps_sentence == (
        "您可以:先办失业登记,再参加城乡居民养老保险,然后办理灵活就业人员社会保险补贴申领。"
    )


@pytest.mark.parametrize("code", [rule[0] for rule in SAMPLE_RULES])
def test_every_sample_rule_lists_its_item_with_its_steps_to_one_who_has_not_taken_them(sample_rules, code):
    rule = EligibilityRule.objects.get(item__code=code)
    parsed = parse_rule(rule.expression)
    steps = {n for n, entry in enumerate(rule.plain, start=1) if "step" in entry}
    wanted = {n: n not in steps for n in range(1, len(parsed.conditions) + 1)}
    answers = person_where(parsed, wanted, TODAY)
    assert answers is not None, f"{code}: no one meets every condition but the steps"
    if steps:  # the steps are what stands between them and the item
        assert evaluate(parsed, facts_from_answers(answers, TODAY), TODAY) is False
    answer = _answer(answers, code)
    assert answer is not None and answer.eligible is True, (code, answers)
    assert [s.condition for s in answer.steps] == sorted(steps)
    if steps:
        sentence = answer.steps_sentence
        assert sentence.startswith("您可以:先") and answer.item.name in sentence
        for step in answer.steps:
            assert step.text in sentence and step.item_name  # and the item that does it
        assert not any(sign in sentence for sign in FORMULA_SIGNS), sentence
        assert not re.search("[A-Za-z]", sentence), sentence
    assert answer.not_met == []


@pytest.mark.parametrize("code", [rule[0] for rule in SAMPLE_RULES])
def test_a_failed_condition_that_is_not_a_step_hides_the_item(sample_rules, code):
    rule = EligibilityRule.objects.get(item__code=code)
    parsed = parse_rule(rule.expression)
    steps = {n for n, entry in enumerate(rule.plain, start=1) if "step" in entry}
    failing = 0
    for number in range(1, len(parsed.conditions) + 1):
        if number in steps:
            continue
        # this condition fails, every other one that is not a step holds, no step is taken
        wanted = {n: n not in steps for n in range(1, len(parsed.conditions) + 1)} | {number: False}
        answers = person_where(parsed, wanted, TODAY)
        if answers is None:  # a condition the self-check's answers cannot make false (a hardship)
            continue
        failing += 1
        assert _answer(answers, code) is None, (code, number, answers)
    assert failing, f"{code}: no condition could be failed"


def test_a_step_is_checked_with_the_rule(served):
    rule = parse_rule("disability_level >= 1 and medical_expenses_12m >= 10000")
    card = words(
        "您有残疾证", "您有残疾证吗?", "You have a disability card", "Do you have a disability card?"
    )
    costs = words(
        "您看病花了不少钱", "您看病花了多少钱?", "Large medical costs", "How much were your medical costs?"
    )
    for step, refusal in (
        ({"zh": "带上残疾证"}, "中文"),
        ({"zh": "带上残疾证", "en": "bring your card", "item": "UI-001", "when": "now"}, "item"),
        ({"zh": "带上残疾证", "en": "bring your card"}, "在哪里"),
        ({"zh": "带上{disability_level}", "en": "bring it", "item": "UI-001"}, "花括号"),
    ):
        with pytest.raises(PlainWordsError) as refused, translation.override("zh-hans"):
            check_plain_words(rule, [card | {"step": step}, costs])
        assert refusal in refused.value.text(), (step, refused.value.text())
    # a paper to bring: no item does it, the words say where to get it
    paper = {
        "zh": "带上残疾证",
        "en": "bring your disability card",
        "where": {"zh": "残疾证在区残联办理", "en": "the district's disabled persons' federation issues it"},
    }
    plain = [card | {"step": paper}, costs]
    check_plain_words(rule, plain)
    with translation.override("zh-hans"):
        said = explain_plainly(rule, plain, {"disability_level": 0, "medical_expenses_12m": 20000}, TODAY)
    assert said.eligible is False and said.after_steps is True and said.not_met == []
    assert [(s.text, s.where, s.item_code) for s in said.steps] == [("带上残疾证", "残疾证在区残联办理", "")]
    # a step through an item the catalogue does not have is refused when the rule is saved
    saved = EligibilityRule(
        item=served.ui,
        expression=rule.source,
        description="示例",
        plain=[card | {"step": {"zh": "办残疾证", "en": "get a card", "item": "XX-999"}}, costs],
        valid_from=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        saved.full_clean()
    assert "XX-999" in str(refused.value.message_dict["plain"])
    saved.plain = [card | {"step": {"zh": "办这件事", "en": "do it", "item": served.ui.code}}, costs]
    with pytest.raises(ValidationError) as refused, translation.override("zh-hans"):
        saved.full_clean()
    assert "不是这件事本身" in str(refused.value.message_dict["plain"])
    saved.plain = plain
    saved.full_clean()


def test_the_self_check_page_shows_the_step_with_the_nearest_place_for_it(client, sample_rules):
    from linju.portal.where import where_answer

    form = DIDNT_KNOW | {"registered_unemployed": "no"}
    page = client.post("/self-check/", form, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    result = page.split('<section class="self-check-result">')[1].split("</section>")[0]
    assert "您可以:先办失业登记,再办理失业保险金申领。" in result
    assert 'href="/catalog/items/UI-001/#where"' in result  # no village known yet: where to ask
    client.cookies["linju_village"] = sample_rules.jingshan.code
    page = client.post("/self-check/", form, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    nearest = where_answer(item_code="UI-001", village_code=sample_rules.jingshan.code)["places"][0]
    assert f"离永新镇荆山村最近的是{nearest['name']}" in page
    assert "UI-002:3" in page.split('name="steps" value="')[1].split('"')[0].split(",")


def test_the_text_carries_the_steps_the_page_showed(client, sample_rules):
    sent = client.post(
        "/self-check/text/",
        {"phone": "13800001234", "town": "500110113000", "items": "UI-001,UI-002", "steps": "UI-002:3"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert sent.status_code == 200
    text = OutboxMessage.objects.get(purpose="self_check").text
    assert "失业登记、失业保险金申领(先办失业登记)" in text
    assert "先办失业登记" in sent.content.decode()  # the page shows what was sent
    # a condition that is not a step, or an item not in the list, is refused
    for steps in ("UI-002:1", "UI-001:3", "UI-002:x"):
        refused = client.post(
            "/self-check/text/",
            {"phone": "13800001235", "town": "500110113000", "items": "UI-001,UI-002", "steps": steps},
        )
        assert refused.status_code == 400, steps
    assert OutboxMessage.objects.filter(purpose="self_check").count() == 1


def test_the_api_gives_the_steps(client, sample_rules):
    body = client.post(
        "/api/v1/eligibility/check",
        DIDNT_KNOW,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).json()
    benefit = next(a for a in body if a["item_code"] == "UI-002")
    assert benefit["steps"] == [
        {"text": "办失业登记", "item_code": "UI-001", "item": "失业登记", "where": ""}
    ]
    assert benefit["steps_sentence"] == "您可以:先办失业登记,再办理失业保险金申领。"
    assert benefit["not_met"] == []
    registration = next(a for a in body if a["item_code"] == "UI-001")
    assert registration["steps"] == [] and registration["steps_sentence"] == ""


def test_discovery_finds_one_who_lacks_a_step_on_the_steps_list_not_the_items(client, sample_rules):
    """Discovery's lists are people who can apply now: one not yet registered is on 失业登记's list
    (where the cadre starts), not yet on 失业保险金申领's; the page tells the cadre what may follow."""
    dai = sample_rules.dai
    dai.birth_date = datetime.date(1981, 5, 1)
    dai.save()
    unemployed_facts(dai, registered_unemployed=False)
    run = discovery_execute(run=discovery_start(actor=sample_rules.cadre), today=TODAY)
    found = {(lst.item.code, tuple(lst.resident_ids())) for lst in run.lists.all()}
    assert ("UI-001", (dai.pk,)) in found
    assert not any(code == "UI-002" for code, _ids in found)
    client.force_login(sample_rules.cadre)
    page = client.get("/staff/discovery/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "办好失业登记后,其中有的人还可以申请" in page and "失业保险金申领" in page


def test_the_self_check_page_reads_the_same_few_rows_however_many_items_it_lists(
    client, sample_rules, django_assert_num_queries
):
    """The rules with their items and the items' materials, the towns for the text form: four
    queries, not one an item listed (the steps' items come from the held catalogue)."""
    form = DIDNT_KNOW | {"registered_unemployed": "no"}
    client.post("/self-check/", form)  # the held catalogue is read once per process
    with django_assert_num_queries(4):
        page = client.post("/self-check/", form, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.content.decode().count('<div class="steps">') == 3  # 失业保险金, 就业困难认定, 创业贷款
