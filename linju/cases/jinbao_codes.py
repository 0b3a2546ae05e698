"""The code lists a 金保 (金保工程, the 人社 social-insurance system) entry sheet codes a person's fields
with, as data: one place to read and to correct when a province's 金保 version differs.

- ID type: the 人社 信息标准 code of 证件类型 (社会保险 指标体系, AAC058: 01 居民身份证（户口簿）), with the
  national 政务服务 certificate-type code beside it (111 居民身份证) for systems that ask for that one.
  Linju registers residents by their 18-character 居民身份证 number only, so every sheet prints the
  first row; the others are kept so that a sheet can say what it is not.
- Sex: GB/T 2261.1-2003 人的性别代码 (0 未知, 1 男, 2 女, 9 未说明).
- Ethnic group: GB/T 3304-1991 中国各民族名称的罗马字母拼写法和代码, the two-digit codes (01 汉族 … 56
  基诺族, 97 其他, 98 外国血统中国籍人士). The registry does not hold it: intake records it, optional;
  a sheet without it says 未填.
- Region: GB/T 2260 中华人民共和国行政区划代码 is the first six digits (the county: 500110 綦江区) of the
  12-digit 统计用区划代码 the geography holds for towns and villages.
- The 金保 business number typed back: `BUSINESS_NUMBER` below.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# 证件类型: Linju's kind of ID number -> (人社 AAC058 code, national 政务服务 code, name)
ID_TYPES = {
    "resident_id": ("01", "111", "居民身份证（户口簿）"),
    "officer": ("02", "114", "中国人民解放军军官证"),
    "police_officer": ("03", "123", "中国人民武装警察警官证"),
    "hk_macao_pass": ("04", "516", "港澳居民来往内地通行证"),
    "taiwan_pass": ("06", "511", "台湾居民来往大陆通行证"),
    "foreign_residence": ("07", "553", "外国人永久居留身份证"),
    "passport": ("08", "414", "护照"),
}
RESIDENT_ID = "resident_id"  # the one Linju registers

# GB/T 2261.1-2003: the registry's sex -> (code, name)
SEXES = {"M": ("1", "男"), "F": ("2", "女")}
SEX_UNKNOWN = ("0", "未知的性别")

# GB/T 3304-1991: code -> name
ETHNIC_GROUPS = {
    "01": "汉族",
    "02": "蒙古族",
    "03": "回族",
    "04": "藏族",
    "05": "维吾尔族",
    "06": "苗族",
    "07": "彝族",
    "08": "壮族",
    "09": "布依族",
    "10": "朝鲜族",
    "11": "满族",
    "12": "侗族",
    "13": "瑶族",
    "14": "白族",
    "15": "土家族",
    "16": "哈尼族",
    "17": "哈萨克族",
    "18": "傣族",
    "19": "黎族",
    "20": "傈僳族",
    "21": "佤族",
    "22": "畲族",
    "23": "高山族",
    "24": "拉祜族",
    "25": "水族",
    "26": "东乡族",
    "27": "纳西族",
    "28": "景颇族",
    "29": "柯尔克孜族",
    "30": "土族",
    "31": "达斡尔族",
    "32": "仫佬族",
    "33": "羌族",
    "34": "布朗族",
    "35": "撒拉族",
    "36": "毛南族",
    "37": "仡佬族",
    "38": "锡伯族",
    "39": "阿昌族",
    "40": "普米族",
    "41": "塔吉克族",
    "42": "怒族",
    "43": "乌孜别克族",
    "44": "俄罗斯族",
    "45": "鄂温克族",
    "46": "德昂族",
    "47": "保安族",
    "48": "裕固族",
    "49": "京族",
    "50": "塔塔尔族",
    "51": "独龙族",
    "52": "鄂伦春族",
    "53": "赫哲族",
    "54": "门巴族",
    "55": "珞巴族",
    "56": "基诺族",
    "97": "其他未识别民族",
    "98": "外国血统中国籍人士",
}
ETHNIC_CHOICES = [(code, f"{code} {name}") for code, name in ETHNIC_GROUPS.items()]
NOT_GIVEN = "未填"  # printed where the sheet has no value (an ethnic group not recorded)

COUNTY_DIGITS = 6  # GB/T 2260: the county's code is the first six digits of a 12-digit division code

# The 金保 business number (业务流水号) typed back after entry: 20 digits — the county's six-digit
# GB/T 2260 code, the entry date as YYYYMMDD and a six-digit sequence (500110 20261206 000123). A
# province whose 金保 numbers differ changes these two lines; the database holds the length.
BUSINESS_NUMBER_LENGTH = 20
BUSINESS_NUMBER = re.compile(r"^(\d{6})(\d{4})(\d{2})(\d{2})(\d{6})$")
BUSINESS_NUMBER_WORDS = _(
    "A 金保 business number has 20 digits: the county's 6-digit code, the entry date (YYYYMMDD) and a "
    "6-digit sequence, for example 50011020261206000123."
)


def county_code(division_code: str) -> str:
    """The GB/T 2260 county code (6 digits) of a 12-digit division code."""
    return division_code[:COUNTY_DIGITS]


def sex_code(sex: str) -> tuple[str, str]:
    """(GB/T 2261.1 code, name) of the registry's M/F."""
    return SEXES.get(sex, SEX_UNKNOWN)


def ethnic_group(code: str) -> tuple[str, str]:
    """(GB/T 3304 code, name), or ("", 未填) when none was recorded."""
    return (code, ETHNIC_GROUPS[code]) if code in ETHNIC_GROUPS else ("", NOT_GIVEN)
