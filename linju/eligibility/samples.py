"""Sample eligibility rules for the demo catalogue. EXAMPLES, NOT OFFICIAL POLICY: simplified from
the general shape of the national rules, to show the mechanism.

Each rule comes with its conditions in sentences (linju/eligibility/plain.py): what a resident reads
when a condition is met, and the question we ask when it is not known. A condition the resident can
still meet by doing something (registering as unemployed, enrolling in the pension insurance) is
marked as a step, with the item that does it: not having done it yet is no reason to stay silent."""


def words(met_zh: str, ask_zh: str, met_en: str, ask_en: str) -> dict:
    return {"zh": {"met": met_zh, "ask": ask_zh}, "en": {"met": met_en, "ask": ask_en}}


def step(entry: dict, *, item: str, zh: str, en: str) -> dict:
    """A condition's sentences, marked as a step the resident can take through `item`."""
    return entry | {"step": {"item": item, "zh": zh, "en": en}}


AGE = ("请告诉我们您的年龄。", "How old are you?")
REGISTERED = words(
    "您已经做了失业登记",
    "您是否已经做了失业登记?没有的话,可以到镇街社保服务所或赶场摊点登记。",
    "You are registered as unemployed",
    "Are you registered as unemployed? If not, your town's station or a market-day booth can do it.",
)
NO_PENSION = words(
    "您还没有在领养老金",
    "您是否已经在领养老金?",
    "You do not receive a pension yet",
    "Do you already receive a pension?",
)
PENSION_INSURED = words(
    "您参加了养老保险", "您参加养老保险了吗?", "You have pension insurance", "Do you have pension insurance?"
)
NOT_PENSION_INSURED = words(
    "您还没有参加养老保险",
    "您参加养老保险了吗?",
    "You have no pension insurance yet",
    "Do you have pension insurance?",
)
# registering as unemployed and enrolling are steps: the person can take them and then apply
REGISTER_FIRST = step(REGISTERED, item="UI-001", zh="办失业登记", en="register as unemployed")
ENROL_FIRST = step(
    PENSION_INSURED, item="SI-001", zh="参加城乡居民养老保险", en="enrol in the residents' pension insurance"
)
OUT_OF_WORK = words("您现在没有工作", "您现在有工作吗?", "You are out of work now", "Do you have work now?")


def age_between(low: int, high: int) -> dict:
    return words(
        f"您今年{{age}}岁,在{low}到{high}岁之间", AGE[0], f"You are {{age}}, between {low} and {high}", AGE[1]
    )


def age_at_least(low: int) -> dict:
    return words(f"您今年{{age}}岁,满{low}岁", AGE[0], f"You are {{age}}: {low} or older", AGE[1])


# (item code, description, rule, its conditions in sentences)
SAMPLE_RULES = [
    (
        "UI-002",
        "失业保险金:参保缴费满1年、非本人意愿失业、已失业登记、未领养老金",
        'unemployment_contribution_months >= 12 and job_loss_cause == "involuntary" and registered_unemployed '
        "and not receives_pension and age() < 60",
        [
            words(
                "您已缴纳失业保险{unemployment_contribution_months}个月,满12个月",
                "您缴纳失业保险满12个月了吗?",
                "You have paid unemployment insurance for {unemployment_contribution_months} months: 12 or more",
                "Have you paid unemployment insurance for 12 months or more?",
            ),
            words(
                "您不是自己要走的(比如单位裁员、合同到期不续签)",
                "您是自己辞职的,还是单位让您走的(比如裁员、合同到期不续签)?",
                "You did not leave by your own choice (laid off, a contract not renewed)",
                "Did you leave by your own choice, or did your employer end the job?",
            ),
            REGISTER_FIRST,
            NO_PENSION,
            words("您今年{age}岁,不满60岁", AGE[0], "You are {age}, under 60", AGE[1]),
        ],
    ),
    (
        "UI-001",
        "失业登记:劳动年龄内、处于无业状态",
        '(age() >= 16 and age() < 60) and employment_status == "unemployed" and not registered_unemployed',
        [
            age_between(16, 60),
            OUT_OF_WORK,
            words(
                "您还没有做失业登记",
                "您是否已经做了失业登记?",
                "You are not registered as unemployed yet",
                "Are you registered as unemployed already?",
            ),
        ],
    ),
    (
        "SI-001",
        "城乡居民养老保险参保:16岁以上、未参加任何养老保险",
        "age() >= 16 and not pension_insured and not receives_pension",
        [age_at_least(16), NOT_PENSION_INSURED, NO_PENSION],
    ),
    (
        "PE-001",
        "城乡居民养老保险待遇:年满60岁、缴费满15年、尚未领取",
        "age() >= 60 and pension_insured and pension_contribution_months >= 180 and not receives_pension",
        [
            age_at_least(60),
            PENSION_INSURED,
            words(
                "您已缴养老保险{pension_contribution_months}个月,满15年",
                "您的养老保险缴费满15年(180个月)了吗?",
                "You have paid pension insurance for {pension_contribution_months} months: 15 years or more",
                "Have you paid pension insurance for 15 years (180 months) or more?",
            ),
            NO_PENSION,
        ],
    ),
    (
        "SI-002",
        "城乡居民医疗保险参保:未参加医保",
        "not medical_insured",
        [
            words(
                "您还没有参加医疗保险",
                "您参加医疗保险了吗?",
                "You have no medical insurance yet",
                "Do you have medical insurance?",
            )
        ],
    ),
    (
        "MD-006",
        "医疗救助:低保或低收入家庭、近一年医疗费用负担重",
        "(subsistence_allowance or income_per_capita < 1000) and medical_expenses_12m >= 10000",
        [
            words(
                "您家享受低保,或家里每人每月收入不到1000元",
                "您家享受低保吗?家里每人每月收入大约多少?",
                "Your household receives 低保, or has under 1,000 yuan a month per person",
                "Does your household receive 低保? About how much a month per person does it have?",
            ),
            words(
                "您近一年看病花了{medical_expenses_12m}元,超过1万元",
                "您近一年看病大约花了多少钱?",
                "Your medical costs of the last year were {medical_expenses_12m} yuan: over 10,000",
                "About how much did you spend on medical care in the last year?",
            ),
        ],
    ),
    (
        "AS-001",
        "临时救急:近3个月遭遇急难、家庭人均收入较低",
        "months_since(hardship_on) <= 3 and income_per_capita < 1500",
        [
            words(
                "您家近3个月遇到了急难事",
                "您家近3个月是否遇到了急难事(重病、意外、灾害)?",
                "Your household met a hardship in the last 3 months",
                "Did your household meet a hardship (illness, accident, disaster) in the last 3 months?",
            ),
            words(
                "您家每人每月收入{income_per_capita}元,不到1500元",
                "您家每人每月收入大约多少?",
                "Your household has {income_per_capita} yuan a month per person: under 1,500",
                "About how much a month per person does your household have?",
            ),
        ],
    ),
    (
        "AS-002",
        "困难人员参保资助:低保或重度残疾、未参加养老保险",
        "(subsistence_allowance or (disability_level >= 1 and disability_level <= 2)) and not pension_insured and age() >= 16",
        [
            words(
                "您家享受低保,或您有一、二级残疾",
                "您家享受低保吗?您有一、二级残疾证吗?",
                "Your household receives 低保, or you have a level 1 or 2 disability",
                "Does your household receive 低保? Do you have a level 1 or 2 disability card?",
            ),
            NOT_PENSION_INSURED,
            age_at_least(16),
        ],
    ),
    (
        "EM-002",
        "就业困难人员认定(如4050人员):失业、女40岁或男50岁以上的简化示例按年龄45岁以上,或残疾、或低保家庭",
        'employment_status == "unemployed" and registered_unemployed and (age() >= 45 or disability_level >= 1 or subsistence_allowance)',
        [
            OUT_OF_WORK,
            REGISTER_FIRST,
            words(
                "您年满45岁,或有残疾,或家里享受低保",
                "您有残疾证吗?家里享受低保吗?(年满45岁也可以)",
                "You are 45 or older, or have a disability, or your household receives 低保",
                "Do you have a disability card? Does your household receive 低保? (Being 45 or older also counts.)",
            ),
        ],
    ),
    (
        "EM-004",
        "职业技能培训补贴:劳动年龄内、失业或务农、想学技能",
        '(age() >= 16 and age() < 60) and employment_status in ["unemployed", "farming"]',
        [
            age_between(16, 60),
            words(
                "您现在没有工作,或在家务农",
                "您现在做什么工作?",
                "You are out of work, or farming",
                "What work do you do now?",
            ),
        ],
    ),
    (
        "EM-005",
        "创业担保贷款:劳动年龄内、已失业登记或就业困难",
        "(age() >= 18 and age() < 60) and registered_unemployed",
        [age_between(18, 60), REGISTER_FIRST],
    ),
    (
        "EM-007",
        "灵活就业社保补贴:就业困难、灵活就业、已参保",
        'employment_status == "flexible" and registered_unemployed and pension_insured',
        [
            words(
                "您是灵活就业(打零工、自己干)",
                "您现在是不是灵活就业(打零工、自己干)?",
                "You work flexibly (odd jobs, on your own)",
                "Do you work flexibly now (odd jobs, on your own)?",
            ),
            REGISTER_FIRST,
            ENROL_FIRST,
        ],
    ),
]
