"""Pinyin of Chinese text for search: 失业保险 → sybx (initials), shiyebaoxian (whole) and the
syllables as a 重庆 ear hears them (`sounds`)."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import lazy_pinyin


@lru_cache(maxsize=65536)
def syllables(text: str) -> tuple[str, ...]:
    """Lower-case syllables without tones; characters that are not Chinese are kept as they are."""
    return tuple(s.lower() for s in lazy_pinyin("".join(text.split()), errors="default") if s)


def initials_of(parts: tuple[str, ...]) -> str:
    return "".join(s[0] for s in parts)


def initials(text: str) -> str:
    return initials_of(syllables(text))


def whole(text: str) -> str:
    return "".join(syllables(text))


# The sounds a south-western speaker (and the 模糊音 setting of every pinyin keyboard) does not tell
# apart: zh/z, ch/c, sh/s at the start, l/n, and -ang/-an, -eng/-en, -ing/-in at the end.
_BLURRED_STARTS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("l", "n"))
_BLURRED_ENDS = ("ang", "eng", "ing")


def blurred(syllable: str) -> str:
    """A syllable as a 重庆 ear hears it: 宅 zhai → zai, 老 lao → nao, 生 sheng → sen."""
    for start, instead in _BLURRED_STARTS:
        if syllable.startswith(start):
            syllable = instead + syllable[len(start) :]
            break
    if syllable.endswith(_BLURRED_ENDS):
        syllable = syllable[:-1]
    return syllable


def sounds(text: str) -> tuple[str, ...]:
    """The blurred syllables of a text: 宅基地复恳 and 在基地复垦 sound alike (zai ji di fu ken)."""
    return tuple(blurred(s) for s in syllables(text))
