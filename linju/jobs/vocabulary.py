"""A small occupation and skill vocabulary, after the major groups of the Chinese occupational
classification (《中华人民共和国职业分类大典》2022, GB/T 6565). Shipped with the project."""

from django.utils.translation import gettext_lazy as _

OCCUPATION_GROUPS = {
    "1": "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
    "2": "专业技术人员",
    "3": "办事人员和有关人员",
    "4": "社会生产服务和生活服务人员",
    "5": "农、林、牧、渔业生产及辅助人员",
    "6": "生产制造及有关人员",
    "8": "不便分类的其他从业人员",
}

# code: (name, occupation group). At most 64 skills: matching keeps them in one 64-bit mask.
SKILLS = {
    "electronics_assembly": ("电子装配", "6"),
    "smt_operation": ("贴片机操作", "6"),
    "quality_inspection": ("质量检验", "6"),
    "cnc_machining": ("数控车床操作", "6"),
    "welding": ("焊接", "6"),
    "fitter": ("装配钳工", "6"),
    "injection_moulding": ("注塑", "6"),
    "sewing": ("缝纫", "6"),
    "packaging": ("包装", "6"),
    "food_processing": ("食品加工", "6"),
    "electrician": ("电工", "6"),
    "forklift": ("叉车驾驶", "4"),
    "warehouse": ("仓储管理", "4"),
    "logistics_sorting": ("物流分拣", "4"),
    "driving_c1": ("驾驶(C1)", "4"),
    "cashier": ("收银", "4"),
    "sales": ("销售", "4"),
    "customer_service": ("客服", "4"),
    "ecommerce": ("电商运营", "4"),
    "cooking": ("厨师", "4"),
    "elderly_care": ("养老护理", "4"),
    "childcare": ("育婴", "4"),
    "housekeeping": ("家政服务", "4"),
    "security": ("保安", "4"),
    "cleaning": ("保洁", "4"),
    "car_repair": ("汽车维修", "4"),
    "office_computer": ("计算机办公", "3"),
    "accounting": ("会计", "2"),
    "nursing": ("护理", "2"),
    "crop_growing": ("种植", "5"),
    "animal_raising": ("养殖", "5"),
    "carpentry": ("木工", "6"),
    "masonry": ("泥瓦工", "6"),
}
SKILL_CODES = list(SKILLS)
SKILL_BIT = {code: 1 << index for index, code in enumerate(SKILL_CODES)}


class Education:
    """Ordered: a vacancy's minimum is met by this level or any above it."""

    CHOICES = [
        (0, _("no schooling")),
        (1, _("primary school")),
        (2, _("junior middle school")),
        (3, _("senior middle or vocational school")),
        (4, _("college (大专)")),
        (5, _("bachelor's degree")),
        (6, _("master's degree or above")),
    ]


class Shift:
    CHOICES = [
        ("day", _("day shift")),
        ("night", _("night shift")),
        ("rotating", _("rotating shifts")),
        ("part_time", _("part-time")),
    ]
    BIT = {"day": 1, "night": 2, "rotating": 4, "part_time": 8}


def skills_mask(codes) -> int:
    mask = 0
    for code in codes:
        mask |= SKILL_BIT[code]
    return mask


def shifts_mask(codes) -> int:
    mask = 0
    for code in codes:
        mask |= Shift.BIT[code]
    return mask


def skill_names(codes) -> list[str]:
    return [SKILLS[c][0] for c in codes if c in SKILLS]
