"""Every text Linju sends reads as a person would write it: rendered with real item names (many end in
申请 or 办理), it never doubles a word ("申请申请"), and it never promises today's date as a deadline."""

import datetime
import itertools
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.trans_real import translation as catalogue

from linju.cases.promises import BY_DATE, ON_THE_SPOT, PAUSED, Promise, promise_sentence
from linju.cases.services import (
    Intake,
    Outcome,
    case_accept,
    case_transition,
    extension_ask,
    extension_decide,
)
from linju.cases.tests.factories import case_at_counter
from linju.conftest_world import at
from linju.demo.catalog import ITEMS
from linju.notify.models import OutboxMessage

TEXT_PREFIXES = ("[Qijiang HRSS]", "[Linju]")  # every text message's template starts so
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")
QUOTES = re.compile(r"[“”\"'‘’《》「」()()\s]")
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2})\1")
DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})|(\d{4})年(\d{1,2})月(\d{1,2})日")


def doubled_words(text: str) -> list[str]:
    """The runs of two Chinese characters said twice in a row, quotes and brackets aside (申请”申请)."""
    return [match.group(0) for match in DOUBLED.finditer(QUOTES.sub("", text))]


def dates_in(text: str) -> list[datetime.date]:
    found = []
    for match in DATE.finditer(text):
        parts = [int(p) for p in match.groups() if p is not None]
        found.append(datetime.date(*parts))
    return found


def test_the_checks_find_a_doubled_word_and_a_date():
    assert doubled_words("您的“临时救急补助申请”申请已受理") == ["申请申请"]
    assert doubled_words("您申请的“临时救急补助申请”已受理") == []
    assert dates_in("在2026-12-05前答复,或2027年1月4日") == [
        datetime.date(2026, 12, 5),
        datetime.date(2027, 1, 4),
    ]


def text_templates() -> list[str]:
    """Every text message template in the Chinese catalogue (msgids are English)."""
    messages = catalogue("zh-hans")._catalog
    return sorted(key for key in messages.keys() if isinstance(key, str) and key.startswith(TEXT_PREFIXES))


def samples() -> dict[str, list]:
    """Realistic values for every placeholder of every text, rendered in Chinese where they are
    themselves sentences: every demo item's name, every kind of promise, the finishing fragments."""
    names = [item[2] for item in ITEMS]
    offices = ["永新镇社保服务所", "綦江区人力社保局服务大厅"]
    promises = [
        Promise(BY_DATE, 5, datetime.date(2026, 12, 14)),
        Promise(ON_THE_SPOT, 0, None, instant=True),
        Promise(PAUSED, 5, None),
        Promise(PAUSED, 0, None, instant=True),
        Promise(PAUSED, 0, None),
    ]
    return {
        "item": names,
        "items": ["、".join(names[i : i + 3]) for i in range(0, len(names), 3)],
        "number": ["QJ-20261207-0003"],
        "office": offices,
        "promise": [promise_sentence(p, office) for p in promises for office in offices],
        "date": ["2026-12-14"],
        "missing": ["解除劳动合同证明、诊断证明", "医疗费用票据"],
        "station": offices[:1],
        "reason": ["需外省协查社保记录", "未办理失业登记,请先到社保服务所办理失业登记后再申请"],
        "rule": ["《失业保险条例》第十四条"],
        "link": ["http://127.0.0.1:8000/status/?number=QJ-20261207-0003"],
        "what": [
            "",
            gettext(", %(amount)s yuan") % {"amount": "3,000.00"}
            + gettext(", for %(period)s") % {"period": "2026-12 至 2027-05"},
        ],
        "collect": ["", gettext("Please collect it at %(station)s. ") % {"station": offices[0]}],
        "answer": ["已为您办理社会保险关系转移"],
        "where": ["永新镇社保服务所 023-48700017"],
        "url": ["http://127.0.0.1:8000/self-check/"],
        "day": ["12月8日"],
        "market": ["升平片场"],
        "phone": ["023-48700017"],
        "count": [3],
        "event": [120345],  # the audit log's first event a check found edited
        "agent": ["代*芳"],  # an agent's name, masked
        "code": ["482913"],  # a code texted to open a page or to rate
        "minutes": [10],
        # a rectification's result: what was rated, and how it was dealt with
        "subject": ["办件QJ-20261207-0003", "升平片场咨询ZX7K2M9QDA"],
        "way": ["已当场整改", "已列入整改清单,限期2026-12-20前完成", "已向您说明情况"],
        "numbers": ["QJ-20261207-0001, QJ-20261207-0002"],
        "names": ["代云峰、周开明"],
        # a referral: the job, the employer, where, how to apply, whom to ask
        "name": ["代云峰"],
        "title": ["电子装配工", "养老护理员"],
        "employer": ["綦江电子科技有限公司(示例)", "古南街道养老服务中心(示例)"],
        "low": [4200],
        "high": [5600],
        "ask": [
            gettext("call %(employer)s on %(phone)s")
            % {"employer": "綦江电子科技有限公司(示例)", "phone": "023-48601001"},
            gettext("go to %(employer)s") % {"employer": "古南街道养老服务中心(示例)"},
        ],
        "questions": ["永新镇社保服务所 023-48700017", "永新镇"],
        # an offer (免申即享): the rule's plain sentence, without its closing stop
        "offer": ["您可能可以领取失业保险金", "您可以参加城乡居民养老保险", "您可以申请医疗救助"],
        # retirement a year ahead: the month, the statutory age, when the application opens
        "month": ["2027年3月", "2039年12月"],
        "age": ["60岁6个月", "63岁", "55岁"],
        "opens": ["2026年9月", "2039年6月"],
        # a bundle case (一件事): its name, its parts, and every part's outcome in one text
        "bundle": ["退休一件事", "失业一件事", "社保卡一件事"],
        "parts": [3],
        # a gig's slip (派工单): the work, when, the pay (where, whom to ask: as above)
        "work": ["采摘柑橘", "坝坝宴帮厨"],
        "when": ["12月8日 08:00–12:00", "12月8日–12月10日 07:00–11:00"],
        "pay": ["130元/天", "8元/件"],
        "outcomes": [
            "退休审批：予以办理；基本养老金申领：予以办理，金额3,120.50元；住房公积金提取：不予办理：账户尚有未还贷款"
        ],
    }


def test_every_text_template_reads_well_with_every_demo_item():
    with translation.override("zh-hans"):
        templates = text_templates()
        values = samples()
        assert len(templates) >= 10
        for template in templates:
            keys = sorted({name for name, _kind in PLACEHOLDER.findall(template)})
            unknown = [key for key in keys if key not in values]
            assert not unknown, f"give a realistic sample for {unknown} of the text {template!r}"
            for combination in itertools.product(*(values[key] for key in keys)):
                text = gettext(template) % dict(zip(keys, combination, strict=True))
                assert not doubled_words(text), text


def test_every_case_text_through_every_move_reads_well_and_promises_no_date_of_today(
    served, django_capture_on_commit_callbacks
):
    """Each move that texts the resident, with items named like the demo's (医疗救助申请,
    宅基地复垦户养老保险办理 done on the spot, 劳动人事争议仲裁申请): no doubled word, and any date is
    after the day of the move."""
    seen = 0

    def step(day, move):
        nonlocal seen
        with django_capture_on_commit_callbacks(execute=True):
            result = move(at(2026, 11, day))
        for message in OutboxMessage.objects.order_by("id")[seen:]:
            assert not doubled_words(message.text), message.text
            assert all(date > datetime.date(2026, 11, day) for date in dates_in(message.text)), message.text
        seen = OutboxMessage.objects.count()
        return result

    def accept(item, **fields):
        values = {"channel": "counter", "service_point_code": "station-yx", "applicant_id": served.dai.pk}
        return lambda now: case_accept(
            actor=served.cadre, intake=Intake(item_code=item, **values | fields), now=now
        )

    def move(case, action, actor=None, **kwargs):
        return lambda now: case_transition(
            actor=actor or served.cadre, number=case.number, action=action, now=now, **kwargs
        )

    on_the_spot = step(25, accept("PE-003"))
    step(25, move(on_the_spot, "finish", outcome=Outcome(kind="granted")))
    step(25, accept("PE-003", materials_missing=["宅基地复垦确认材料"]))
    forwarded = step(25, accept("MD-005"))
    step(26, move(forwarded, "send_back", actor=served.staff, missing=["医疗费用票据"]))
    step(27, move(forwarded, "resume"))
    step(
        30,
        move(
            forwarded,
            "finish",
            actor=served.staff,
            outcome=Outcome(kind="granted", amount=3000, hand_over=True),
        ),
    )
    refused = step(25, accept("LR-002"))
    step(26, move(refused, "send_back", actor=served.staff, missing=["仲裁申请书"]))
    step(27, move(refused, "return", reason="不属于本站受理范围,请到区劳动人事争议仲裁院申请"))
    answered = step(25, accept("UI-002", materials_missing=["解除劳动合同证明"]))
    step(26, move(answered, "resume"))
    asked = extension_ask(
        actor=served.cadre, number=answered.number, working_days=3, reason="需外省协查社保记录"
    )
    step(27, lambda now: extension_decide(actor=served.leader, extension_id=asked.pk, approve=True, now=now))
    step(
        30,
        move(
            answered,
            "finish",
            outcome=Outcome(kind="refused", detail="未办理失业登记", rule="《失业保险条例》第十四条"),
        ),
    )
    purposes = set(OutboxMessage.objects.values_list("purpose", flat=True))
    assert purposes == {"accepted", "suspended", "finished", "returned", "extended"}


@pytest.mark.parametrize("name", ["临时救急补助申请", "宅基地复垦户养老保险办理", "失业登记"])
def test_the_acceptance_text_names_the_item_once(served, name, django_capture_on_commit_callbacks):
    served.ui.name = name
    served.ui.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_at_counter(served, now=at(2026, 11, 25))
    text = OutboxMessage.objects.get(purpose="accepted").text
    assert f"您申请的“{name}”已受理" in text and not doubled_words(text)
