"""Pinyin of Chinese text for search: 失业保险 → sybx (initials) and shiyebaoxian (whole)."""

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


def matches(query: str, text: str) -> bool:
    """Does a search box entry match this text, by characters, pinyin initials or whole pinyin?"""
    needle = "".join(query.split()).lower()
    if not needle:
        return True
    if needle in text.lower():
        return True
    return needle.isascii() and (needle in initials(text) or needle in whole(text))
