"""Chinese text cut into words, for search: 宅基地复垦养老保险 → 宅基地 / 复垦 / 养老保险.

rjieba is jieba's dictionary and algorithm in Rust: its dictionary loads once per process, at the
first cut, in about a quarter of a second and some 35 MB; jieba itself takes three times as long
and twice the memory, and cuts fourteen times slower (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterable

import rjieba

# jieba's part-of-speech tags of words that carry no subject of their own: conjunctions (可以),
# prepositions, pronouns (我), particles (的), adverbs, interjections, onomatopoeia, modal
# particles (吗), punctuation, directions (后), measure words and numerals.
FUNCTION_TAGS = ("c", "p", "r", "u", "d", "e", "o", "y", "x", "f", "q", "m")


def content_words(text: str) -> list[str]:
    """The words of a text that say what it is about, each once, in order: 没想到我可以办失业保险 →
    没想到, 办, 失业, 保险."""
    return list(dict.fromkeys(word for word, tag in rjieba.tag(text) if not tag.startswith(FUNCTION_TAGS)))


def with_parts(words: Iterable[str]) -> list[str]:
    """Each word and the shorter words inside it, each once: 宅基地 → 宅基, 基地, 宅基地; so a text
    can be found by a part of one of its words."""
    return list(dict.fromkeys(part for word in words for part in rjieba.cut_for_search(word)))
