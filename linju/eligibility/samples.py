"""Sample eligibility rules for the demo catalogue. EXAMPLES, NOT OFFICIAL POLICY: simplified from
the general shape of the national rules, to show the mechanism."""

SAMPLE_RULES = [
    (
        "UI-002",
        "失业保险金:参保缴费满1年、非本人意愿失业、已失业登记、未领养老金",
        'unemployment_contribution_months >= 12 and job_loss_cause == "involuntary" and registered_unemployed '
        "and not receives_pension and age() < 60",
    ),
    (
        "UI-001",
        "失业登记:劳动年龄内、处于无业状态",
        'age() >= 16 and age() < 60 and employment_status == "unemployed" and not registered_unemployed',
    ),
    (
        "SI-001",
        "城乡居民养老保险参保:16岁以上、未参加任何养老保险",
        "age() >= 16 and not pension_insured and not receives_pension",
    ),
    (
        "PE-001",
        "城乡居民养老保险待遇:年满60岁、缴费满15年、尚未领取",
        "age() >= 60 and pension_insured and pension_contribution_months >= 180 and not receives_pension",
    ),
    ("SI-002", "城乡居民医疗保险参保:未参加医保", "not medical_insured"),
    (
        "MD-006",
        "医疗救助:低保或低收入家庭、近一年医疗费用负担重",
        "(subsistence_allowance or income_per_capita < 1000) and medical_expenses_12m >= 10000",
    ),
    (
        "AS-001",
        "临时救急:近3个月遭遇急难、家庭人均收入较低",
        "months_since(hardship_on) <= 3 and income_per_capita < 1500",
    ),
    (
        "AS-002",
        "困难人员参保资助:低保或重度残疾、未参加养老保险",
        "(subsistence_allowance or (disability_level >= 1 and disability_level <= 2)) and not pension_insured and age() >= 16",
    ),
    (
        "EM-002",
        "就业困难人员认定(如4050人员):失业、女40岁或男50岁以上的简化示例按年龄45岁以上,或残疾、或低保家庭",
        'employment_status == "unemployed" and registered_unemployed and (age() >= 45 or disability_level >= 1 or subsistence_allowance)',
    ),
    (
        "EM-004",
        "职业技能培训补贴:劳动年龄内、失业或务农、想学技能",
        'age() >= 16 and age() < 60 and employment_status in ["unemployed", "farming"]',
    ),
    (
        "EM-005",
        "创业担保贷款:劳动年龄内、已失业登记或就业困难",
        "age() >= 18 and age() < 60 and registered_unemployed",
    ),
    (
        "EM-007",
        "灵活就业社保补贴:就业困难、灵活就业、已参保",
        'employment_status == "flexible" and registered_unemployed and pension_insured',
    ),
]
