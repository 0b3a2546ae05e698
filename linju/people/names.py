"""Pinyin of Chinese names, for search (周开明 → zkm, zhoukaiming).

pypinyin reads some surnames by their common reading (曾 ceng, 单 dan, 解 jie …);
as surnames they are read differently, so the first character(s) of a name are
looked up here first.
"""

from __future__ import annotations

from functools import lru_cache

from linju.core import pinyin

# Surname readings that differ from the character's most common reading.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "查": "zha",
    "区": "ou",
    "朴": "piao",
    "乐": "yue",
    "盖": "ge",
    "缪": "miao",
    "翟": "zhai",
    "覃": "qin",
    "种": "chong",
    "秘": "bi",
    "繁": "po",
    "员": "yun",
    "句": "gou",
    "召": "shao",
    "都": "du",
    "折": "she",
    "黑": "he",
    "藏": "zang",
    "宓": "fu",
    "尉迟": "yu chi",
    "万俟": "mo qi",
    "单于": "chan yu",
    "长孙": "zhang sun",
}
COMPOUND_SURNAMES = [s for s in SURNAME_READINGS if len(s) > 1]


def _split_surname(name: str) -> tuple[str, str]:
    for surname in COMPOUND_SURNAMES:
        if name.startswith(surname):
            return surname, name[len(surname) :]
    return name[:1], name[1:]


@lru_cache(maxsize=65536)
def name_syllables(name: str) -> tuple[str, ...]:
    """The pinyin syllables of a person's name, surname read as a surname (曾 → zeng)."""
    name = "".join(name.split())
    if not name:
        return ()
    surname, given = _split_surname(name)
    reading = SURNAME_READINGS.get(surname)
    head = tuple(reading.split()) if reading else pinyin.syllables(surname)
    return head + pinyin.syllables(given)


def name_initials(name: str) -> str:
    """Lower-case pinyin initials (周开明 → zkm); non-Chinese characters are kept as they are."""
    return pinyin.initials_of(name_syllables(name))


def name_pinyin(name: str) -> str:
    """Whole pinyin without tones or spaces (周开明 → zhoukaiming)."""
    return "".join(name_syllables(name))
