"""Pinyin of Chinese text for search: 失业保险 → sybx (initials) and shiyebaoxian (whole)."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class SearchKeys:
    """A text as a search box meets it: lower-cased, its pinyin initials and whole pinyin. Work them
    out once (when a table is read) and match many queries against them."""

    text: str
    initials: str
    whole: str

    @classmethod
    def of(cls, text: str) -> SearchKeys:
        return cls(text=text.lower(), initials=initials(text), whole=whole(text))


def needle(query: str) -> str:
    """A search box entry as it is matched: no spaces, lower case."""
    return "".join(query.split()).lower()


def matches(query_needle: str, keys: SearchKeys) -> bool:
    """Does a search box entry (`needle`) match this text, by characters, pinyin initials or whole pinyin?"""
    if not query_needle or query_needle in keys.text:
        return True
    return query_needle.isascii() and (query_needle in keys.initials or query_needle in keys.whole)
