"""The demo bundles (一件事一次办): 退休一件事, 失业一件事 and 社保卡一件事 for each bureau, the catalogue
items they need that the demo catalogue lacked (the partners' parts among them), the questions the
items' forms ask, and each bureau's partner offices (住房公积金, 医保, a partner bank).

EXAMPLE CONFIGURATION, NOT OFFICIAL POLICY: items and bundles are marked `is_example`; the partner
offices are made up (`is_synthetic`, and "示例" in their names), as are their phones and addresses.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from linju.catalog.bundles import bundles_changed
from linju.catalog.models import (
    Bundle,
    BundlePart,
    BundleVersion,
    Category,
    Department,
    FormQuestion,
    ItemAlias,
    ItemQuestion,
    Material,
    PartnerOffice,
    ServiceItem,
)
from linju.catalog.selectors import catalogue_changed
from linju.geo.models import Bureau

from .catalog import BANK, ID, SI_LAW

# the new law on the retirement age applies from this day; the other bundles from the programme's
NEW_RETIREMENT_LAW = datetime.date(2025, 1, 1)
BUNDLES_FROM = datetime.date(2024, 6, 1)

PARTNERS_CATEGORY = (
    "partners",
    "合作部门事项",
    "医保、住房公积金、银行等部门办理的事项,可随“一件事”在人社窗口一并申请",
)

# code, category, name, working days, channels, description, who qualifies, materials, keywords
ITEMS = [
    (
        "PE-009",
        "pension",
        "企业职工正常退休审批",
        10,
        "counter booth online",
        "到达法定退休年龄(含弹性提前、延迟退休)的企业职工,确认退休资格和退休时间。",
        "参加企业职工基本养老保险、达到或即将达到法定退休年龄的人员。",
        [ID, ("人事档案", True), ("户口簿", False)],
        "退休审批 退休资格 弹性退休",
    ),
    (
        "MD-007",
        "partners",
        "退休人员医保待遇资格确认",
        10,
        "counter online",
        "退休后继续享受职工医保待遇:核定医保缴费年限,不足的办理补缴。由区医疗保障部门办理。",
        "办理退休的职工医保参保人员。",
        [ID, ("退休审批表", False)],
        "退休医保 医保年限 医保补缴",
    ),
    (
        "HF-001",
        "partners",
        "住房公积金账户封存及退休提取",
        5,
        "counter online",
        "退休后封存住房公积金个人账户,并一次提取余额到本人银行账户。由住房公积金管理部门办理。",
        "缴存住房公积金、办理退休的职工。",
        [ID, BANK, ("退休审批表", False)],
        "公积金提取 公积金封存 退休提取公积金",
    ),
    (
        "MD-008",
        "partners",
        "领取失业保险金期间职工医保参保",
        5,
        "counter online",
        "领取失业保险金期间,由失业保险基金代缴职工医保,看病照常报销。由区医疗保障部门办理。",
        "正在领取失业保险金的人员。",
        [ID],
        "失业医保 失业期间医保 医保接续",
    ),
    (
        "SI-009",
        "partners",
        "社会保障卡银行账户激活",
        1,
        "counter booth online",
        "激活社保卡的银行账户功能,领取待遇、缴费都用这张卡。由合作银行办理。",
        "已领取社会保障卡的人员。",
        [ID, ("社会保障卡", True)],
        "社保卡激活 激活银行卡",
    ),
    (
        "SI-010",
        "enrolment",
        "电子社会保障卡签发",
        0,
        "counter booth phone home_visit online",
        "在手机上领取电子社保卡,看病、办事出示二维码即可;可为家人代领。",
        "已领取或正在申领实体社会保障卡的人员。",
        [ID],
        "电子社保卡 手机社保卡",
    ),
]

ALIASES = {
    "PE-009": ["办退休审批", "退休认定"],
    "HF-001": ["退休取公积金", "公积金销户"],
    "SI-010": ["手机上的社保卡"],
}

# code, question, in English, kind, choices
QUESTIONS = [
    ("bank-account", "本人银行账号(待遇发放)", "Your bank account (for payments)", "bank_account", []),
    ("last-employer", "原工作单位", "Your last employer", "text", []),
    ("left-work-on", "离职(解除劳动合同)日期", "Date you left the job", "date", []),
    (
        "retirement-kind",
        "退休类别",
        "Kind of retirement",
        "choice",
        ["正常退休", "弹性提前退休", "弹性延迟退休", "特殊工种提前退休"],
    ),
    ("housing-fund-account", "住房公积金个人账号", "Your housing fund account", "text", []),
    ("job-wanted", "希望从事的工作", "The work you want", "text", []),
    ("wants-training", "是否需要职业技能培训", "Do you want skills training?", "yes_no", []),
    ("card-kind", "申领类型", "New card or replacement", "choice", ["首次申领", "补换(遗失或损坏)"]),
    (
        "card-address",
        "社保卡邮寄地址(到窗口领取可不填)",
        "Address to post the card to (optional)",
        "text",
        [],
    ),
]

# item code -> the questions its form asks, (code, required)
ITEM_QUESTIONS = {
    "PE-009": [("retirement-kind", True), ("last-employer", True)],
    "PE-005": [("retirement-kind", True), ("bank-account", True)],
    "HF-001": [("housing-fund-account", False), ("bank-account", True)],
    "UI-001": [("left-work-on", True), ("last-employer", True)],
    "UI-002": [("left-work-on", True), ("last-employer", True), ("bank-account", True)],
    "MD-008": [("left-work-on", True)],
    "EM-006": [("job-wanted", False)],
    "EM-004": [("wants-training", True)],
    "SI-007": [("card-kind", True), ("card-address", False)],
}

# key, name, in English, department, delivery, days to get there, where things are sent
PARTNERS = [
    (
        "housing-fund",
        "{zone}住房公积金管理分中心(示例)",
        "{zone} housing provident fund office (example)",
        Department.HOUSING_FUND,
        PartnerOffice.Delivery.PLATFORM,
        0,
        "政务数据共享平台·住房公积金业务(示例)",
    ),
    (
        "medical-insurance",
        "{zone}医疗保障事务中心(示例)",
        "{zone} medical insurance office (example)",
        Department.MEDICAL_INSURANCE,
        PartnerOffice.Delivery.WINDOW,
        0,
        "",
    ),
    (
        "bank",
        "合作银行{zone}支行(示例)",
        "Partner bank, {zone} branch (example)",
        Department.BANK,
        PartnerOffice.Delivery.COURIER,
        1,
        "{zone}人民路1号合作银行营业部(示例地址)",
    ),
]

# code suffix, name, in English, description, keywords, from, parts: (item, partner key or "", lead, note)
BUNDLES = [
    (
        "RETIRE",
        "退休一件事",
        "Retiring, in one application",
        "办退休只跑一次:退休审批、养老金核准、退休后的医保待遇和住房公积金封存提取,一张表、一套材料,一个窗口受理,一次告诉您结果。",
        "办退休 退休手续 领退休工资 养老金 公积金提取 延迟退休",
        NEW_RETIREMENT_LAW,
        [
            ("PE-009", "", True, "确认退休资格和退休时间"),
            ("PE-005", "", False, "核准养老金,按月发放"),
            ("MD-007", "medical-insurance", False, "核定医保缴费年限,继续享受医保"),
            ("HF-001", "housing-fund", False, "封存公积金账户并提取余额"),
        ],
    ),
    (
        "JOBLOSS",
        "失业一件事",
        "Losing a job, in one application",
        "失业后一次办好:失业登记、失业保险金、找工作和技能培训、领金期间的医保,一张表、一套材料。",
        "失业 下岗 领失业金 失业保险 找工作",
        BUNDLES_FROM,
        [
            ("UI-001", "", True, "登记失业,享受就业服务"),
            ("UI-002", "", False, "按月领取失业保险金"),
            ("EM-006", "", False, "登记求职,推荐合适岗位"),
            ("EM-004", "", False, "参加培训,领取培训补贴"),
            ("MD-008", "medical-insurance", False, "领金期间医保不断"),
        ],
    ),
    (
        "SSCARD",
        "社保卡一件事",
        "Social security card, in one application",
        "社保卡一次办好:申领或补换实体卡、激活银行账户、领取电子社保卡。",
        "社保卡 办社保卡 补办社保卡 电子社保卡 激活",
        BUNDLES_FROM,
        [
            ("SI-007", "", True, "申领新卡,或补换遗失、损坏的卡"),
            ("SI-009", "bank", False, "激活银行账户"),
            ("SI-010", "", False, "领取电子社保卡"),
        ],
    ),
]

# the bundles open to an applicant only from so many months before their statutory retirement month
# (the law module's reckoning from the registry's sex and birth date and the former age recorded)
OPENS_BEFORE_RETIREMENT = {"RETIRE": 6}


def _items() -> dict[str, ServiceItem]:
    code, name, description = PARTNERS_CATEGORY
    partners, _ = Category.objects.get_or_create(
        code=code, defaults={"name": name, "description": description, "position": 90}
    )
    categories = {c.code: c for c in Category.objects.all()} | {code: partners}
    for code, category, name, days, channels, description, eligibility, materials, keywords in ITEMS:
        item, created = ServiceItem.objects.get_or_create(
            code=code,
            defaults={
                "category": categories[category],
                "name": name,
                "description": description,
                "eligibility": eligibility,
                "keywords": keywords,
                "time_limit_days": days,
                "legal_basis": f"{SI_LAW}等(示例,非正式政策依据)",
                "channels": channels.split(),
                "valid_from": datetime.date(2014, 1, 1),
                "is_example": True,
            },
        )
        if created:
            Material.objects.bulk_create(
                Material(item=item, name=m, required=required, position=i)
                for i, (m, required) in enumerate(materials, start=1)
            )
            ItemAlias.objects.bulk_create(ItemAlias(item=item, name=alias) for alias in ALIASES.get(code, ()))
    return {item.code: item for item in ServiceItem.objects.all()}


def _questions(items: dict[str, ServiceItem]) -> None:
    questions = {}
    for code, text, text_en, kind, choices in QUESTIONS:
        questions[code], _ = FormQuestion.objects.get_or_create(
            code=code, defaults={"text": text, "text_en": text_en, "kind": kind, "choices": choices}
        )
    asked = set(ItemQuestion.objects.values_list("item__code", "question__code"))
    ItemQuestion.objects.bulk_create(
        ItemQuestion(item=items[item], question=questions[code], required=required, position=position)
        for item, listed in ITEM_QUESTIONS.items()
        for position, (code, required) in enumerate(listed, start=1)
        if item in items and (item, code) not in asked
    )


def _partners(bureau: Bureau, index: int) -> dict[str, PartnerOffice]:
    zone = bureau.zone if bureau.zone.endswith("区") else f"{bureau.zone}区"
    offices = {}
    for number, (key, name, name_en, department, delivery, days, sent_to) in enumerate(PARTNERS, start=1):
        offices[key], _ = PartnerOffice.objects.get_or_create(
            bureau=bureau,
            code=key,
            defaults={
                "name": name.format(zone=zone),
                "name_en": name_en.format(zone=bureau.jurisdiction_id.capitalize()),
                "department": department,
                "contact_person": "业务科(示例)",
                "phone": f"023-489{index:02d}{number:03d}",
                "address": f"{zone}(示例地址)",
                "opening_hours": "工作日 9:00-12:00, 14:00-17:30",
                "delivery": delivery,
                "delivery_address": sent_to.format(zone=zone),
                "delivery_days": days,
                "is_synthetic": True,
            },
        )
    return offices


@transaction.atomic
def load_bundles() -> dict[str, int]:
    """The demo's bundles where missing, for every bureau (idempotent). Returns what was created."""
    before = (ServiceItem.objects.count(), PartnerOffice.objects.count(), Bundle.objects.count())
    items = _items()
    _questions(items)
    for index, bureau in enumerate(Bureau.objects.order_by("pk"), start=1):
        offices = _partners(bureau, index)
        for suffix, name, name_en, description, keywords, valid_from, parts in BUNDLES:
            bundle, created = Bundle.objects.get_or_create(
                code=f"{bureau.code}-{suffix}",
                defaults={
                    "bureau": bureau,
                    "name": name,
                    "name_en": name_en,
                    "description": description,
                    "keywords": keywords,
                    "opens_months_before_retirement": OPENS_BEFORE_RETIREMENT.get(suffix),
                    "is_example": True,
                },
            )
            if not created:
                continue
            version = BundleVersion.objects.create(bundle=bundle, valid_from=valid_from, note="示例配置")
            BundlePart.objects.bulk_create(
                BundlePart(
                    version=version,
                    item=items[code],
                    partner=offices[partner] if partner else None,
                    is_lead=lead,
                    position=position,
                    note=note,
                )
                for position, (code, partner, lead, note) in enumerate(parts, start=1)
            )
    catalogue_changed()
    bundles_changed()
    after = (ServiceItem.objects.count(), PartnerOffice.objects.count(), Bundle.objects.count())
    return {
        "items": after[0] - before[0],
        "partner offices": after[1] - before[1],
        "bundles": after[2] - before[2],
    }
