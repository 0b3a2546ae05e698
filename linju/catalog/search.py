"""How a resident's words find an item, forgiving what people type.

Each item is known by phrases: its official name, the names people use (`ItemAlias`: 俗称, former
names, a report's words) and its keywords. A query scores a phrase by the best of:

- its characters inside the phrase (宅基地复垦 in 宅基地复垦户养老保险办理): 90-100, more the more
  of the phrase it covers; the phrase (three characters or more) inside a longer query
  (没想到我可以办失业保险 holds 失业保险): 70-90;
- its sound inside the phrase's sound, syllable by syllable, with the sounds a 重庆 speaker does not
  tell apart taken as one (`pinyin.sounds`), so a homophone typo finds the item (宅基地复恳): 80-90;
- typed pinyin inside the phrase's whole pinyin (yanglao) or initials of any run of it (zjdfk): 75-90;
- the phrase met with a character missed, added or changed (宅基地复垦养老保险; zjdfkylbx against
  zjdfkhylbxbl): rapidfuzz's partial ratio of the sounds (or letters), from 75 up, as 40 + 0.4 × it;

times 1 for the official name, 0.95 for a name people use, 0.9 for a keyword. Apart from phrases, the
query's words (`words.content_words`, jieba's dictionary) score an item by the share of them it has,
each weighed by how few items have it (复垦 tells more than 保险), times 85; a word only in the
description counts three quarters. An item's score is the better of its best phrase and its words,
plus a fifth of the other.

Items from RESULT_SCORE up are the results, best first (ties in the catalogue's order); when there are
none, up to MAX_SUGGESTIONS items from SUGGEST_SCORE up are offered as "您是不是要找 ……"; below
that, nothing matches.

The index is built from the catalogue this process holds, once per catalogue version, and a search
reads only it: no query. Figures for the demo and for 2,000 items are in docs/benchmarks.md.
"""

from __future__ import annotations

import math
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from linju.core import pinyin
from linju.core.words import content_words, with_parts

from .models import ServiceItem

MAX_QUERY = 40  # characters of a query that are read; the page and the API refuse longer ones
RESULT_SCORE = 60
SUGGEST_SCORE = 30
MAX_SUGGESTIONS = 3

NAME, ALIAS, KEYWORD = 1.0, 0.95, 0.9
DESCRIPTION_CREDIT = 0.75
WORDS_SCORE = 85
FUZZY_FROM = 75  # rapidfuzz partial ratio below which a phrase is not taken as met
UNHEARD = "\ue000"  # the sound of a syllable no phrase has


def normalized(text: str) -> str:
    """Letters and digits only, lower case, full-width folded: spaces, punctuation, and control and
    invisible characters (a zero-width space pasted from a chat) are dropped."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


@dataclass(frozen=True)
class _Phrase:
    owner: int  # the item's position in the index
    text: str  # normalized
    weight: float
    alias: str  # the name people use, as written; "" for the official name and keywords
    sound: str  # one character a syllable (see SearchIndex._encode)
    whole: str  # whole pinyin, letters only
    initials: str


class _Column:
    """One key of every phrase, joined by line feeds (which no key holds), so that finding the phrases
    that contain a needle is one `str.find` a hit, not a Python loop over every phrase."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.joined = "\n".join(keys)
        self.starts = []
        at = 0
        for key in keys:
            self.starts.append(at)
            at += len(key) + 1

    def containing(self, needle: str) -> Iterator[int]:
        at = self.joined.find(needle) if needle else -1
        while at != -1:
            n = bisect_right(self.starts, at) - 1
            yield n
            following = self.starts[n + 1] if n + 1 < len(self.starts) else len(self.joined)
            at = self.joined.find(needle, following)


@dataclass(frozen=True)
class Found:
    """What a search found: the results best first, or else the items it may have meant."""

    items: list[ServiceItem]
    suggestions: list[ServiceItem]
    aliases: dict[int, str]  # item pk -> the name people use that found it, where that was one


class SearchIndex:
    def __init__(self, items: list[ServiceItem], aliases: dict[int, list[str]]) -> None:
        self.items = items
        self._syllable_codes: dict[str, str] = {}
        self.phrases: list[_Phrase] = []
        credits: list[dict[str, float]] = []
        for n, item in enumerate(items):
            terms = dict.fromkeys(with_parts(content_words(item.description)), DESCRIPTION_CREDIT)
            named = [(item.name, NAME, "")]
            named += [(alias, ALIAS, alias) for alias in aliases.get(item.pk, ())]
            named += [(keyword, KEYWORD, "") for keyword in item.keywords.split()]
            for written, weight, alias in named:
                if text := self._add(n, written, weight, alias):
                    terms.update(dict.fromkeys(with_parts(content_words(text)), 1.0))
            credits.append(terms)
        counts = Counter(term for terms in credits for term in terms)
        self._weight = {term: math.log(1 + len(items) / count) for term, count in counts.items()}
        self._mean_weight = sum(self._weight.values()) / len(self._weight) if self._weight else 1.0
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for n, terms in enumerate(credits):
            for term, credit in terms.items():
                self._postings.setdefault(term, []).append((n, credit))
        self._texts = _Column([p.text for p in self.phrases])
        self._sounds = _Column([p.sound for p in self.phrases])
        self._wholes = _Column([p.whole for p in self.phrases])
        self._initials = _Column([p.initials for p in self.phrases])
        self._by_text: dict[str, list[int]] = {}
        self._by_syllable: dict[str, list[int]] = {}
        for n, phrase in enumerate(self.phrases):
            self._by_text.setdefault(phrase.text, []).append(n)
            for code in set(phrase.sound):
                self._by_syllable.setdefault(code, []).append(n)

    def _encode(self, text: str, *, learn: bool) -> str:
        """A text's sounds as one character a syllable, so that substring and rapidfuzz work on
        syllables; a syllable no phrase has is one shared character (UNHEARD) that matches nothing."""
        codes = []
        for sound in pinyin.sounds(text):
            code = self._syllable_codes.get(sound)
            if code is None and learn:
                code = self._syllable_codes[sound] = chr(0xE001 + len(self._syllable_codes))
            codes.append(code or UNHEARD)
        return "".join(codes)

    def _add(self, owner: int, written: str, weight: float, alias: str) -> str:
        text = normalized(written)
        if not text:
            return ""
        syllables = pinyin.syllables(text)
        self.phrases.append(
            _Phrase(
                owner=owner,
                text=text,
                weight=weight,
                alias=alias,
                sound=self._encode(text, learn=True),
                whole="".join(syllables),
                initials=pinyin.initials_of(syllables),
            )
        )
        return text

    def search(self, query: str, keep: Callable[[ServiceItem], bool] = lambda item: True) -> Found:
        """The items the query finds, best first (ties in the index's order), among those `keep`
        says are listed."""
        scores = self.scores(query)
        ranked = sorted(
            (n for n, (score, _alias) in scores.items() if score >= SUGGEST_SCORE and keep(self.items[n])),
            key=lambda n: (-scores[n][0], n),
        )
        items = [self.items[n] for n in ranked if scores[n][0] >= RESULT_SCORE]
        suggestions = [] if items else [self.items[n] for n in ranked[:MAX_SUGGESTIONS]]
        aliases = {self.items[n].pk: scores[n][1] for n in ranked if scores[n][1]}
        return Found(items=items, suggestions=suggestions, aliases=aliases)

    def scores(self, query: str) -> dict[int, tuple[float, str]]:
        """{item position: (score, the name people use that gave it or "")} for the items the query
        meets at all: the better of the best phrase's score and the words' score, plus a fifth of
        the other."""
        q = normalized(query)[:MAX_QUERY]
        if not q:
            return {}
        phrases: dict[int, tuple[float, str]] = {}

        def offer(ns: Iterable[int], score: Callable[[_Phrase], float]) -> None:
            for n in ns:
                phrase = self.phrases[n]
                value = score(phrase) * phrase.weight
                if value > phrases.get(phrase.owner, (0.0, ""))[0]:
                    phrases[phrase.owner] = (value, phrase.alias)

        offer(self._texts.containing(q), lambda p: 90 + 10 * len(q) / len(p.text))
        offer(self._contained_in(q), lambda p: 70 + 20 * len(p.text) / len(q))  # 没想到我可以办失业保险
        if q.isascii() and q.isalpha():  # typed pinyin
            if len(q) >= 2:
                offer(self._wholes.containing(q), lambda p: 80 + 10 * len(q) / len(p.whole))
                offer(self._initials.containing(q), lambda p: 75 + 10 * len(q) / len(p.initials))
            if not phrases:  # a typo in pinyin, looked for only when nothing holds it as typed
                for column in (self._wholes, self._initials):
                    for n, ratio in self._fuzzy(q, column, range(len(self.phrases)), shortest=6):
                        offer([n], lambda p, ratio=ratio: 40 + 0.4 * ratio)
        else:
            sound = self._encode(q, learn=False)
            offer(self._sounds.containing(sound), lambda p: 80 + 10 * len(sound) / len(p.sound))
            for n, ratio in self._fuzzy(sound, self._sounds, self._sharing_sounds(sound), shortest=3):
                offer([n], lambda p, ratio=ratio: 40 + 0.4 * ratio)
        words = self._by_words(q)
        scores = {}
        for n in phrases.keys() | words.keys():
            score, alias = phrases.get(n, (0.0, ""))
            said = words.get(n, 0.0)
            scores[n] = (max(score, said) + min(score, said) / 5, alias if score >= said else "")
        return scores

    def _contained_in(self, q: str) -> Iterator[int]:
        """Phrases of three characters or more inside the query."""
        for start in range(len(q)):
            for end in range(start + 3, len(q) + 1):
                yield from self._by_text.get(q[start:end], ())

    def _sharing_sounds(self, sound: str) -> list[int]:
        """Phrases sharing enough syllables with the query to reach FUZZY_FROM (an upper bound: the
        ratio needs three quarters of the shorter side in common), so rapidfuzz compares only them."""
        heard = set(sound) - {UNHEARD}
        need = max(1, math.ceil(FUZZY_FROM / 100 * (len(sound) - 1)) - (len(sound) - len(heard)))
        shared: Counter[int] = Counter()
        for code in heard:
            shared.update(self._by_syllable.get(code, ()))
        return [n for n, count in shared.items() if count >= need]

    def _fuzzy(
        self, needle: str, column: _Column, among: Iterable[int], *, shortest: int
    ) -> Iterator[tuple[int, float]]:
        """Phrases met with a character missed, added or changed: rapidfuzz's partial ratio aligns
        the query with the best run of a phrase at most one character shorter than it."""
        if len(needle) < shortest:
            return
        candidates = [n for n in among if len(column.keys[n]) >= len(needle) - 1]
        for _choice, ratio, i in process.extract(
            needle,
            [column.keys[n] for n in candidates],
            scorer=fuzz.partial_ratio,
            score_cutoff=FUZZY_FROM,
            limit=None,
        ):
            yield candidates[i], ratio

    def _by_words(self, q: str) -> dict[int, float]:
        """For the items that have any of the query's words, the share of them they have, each
        weighed by how few items have it, times WORDS_SCORE. A word the catalogue does not know is
        looked for by its parts (not by its single characters: 天气预报 is no 报到); one of which it
        knows nothing counts half an average word against every item (so 娃儿读书 is not taken for
        生娃儿报销 outright)."""
        terms, unknown = [], 0
        for word in content_words(q):
            parts = [word] if word in self._weight else [p for p in with_parts([word]) if p in self._weight]
            terms.extend(parts)
            unknown += not parts and len(word) >= 2
        terms = list(dict.fromkeys(terms))
        total = sum(self._weight[t] for t in terms) + unknown * self._mean_weight / 2
        scores: dict[int, float] = {}
        for term in terms:
            for n, credit in self._postings[term]:
                scores[n] = scores.get(n, 0.0) + WORDS_SCORE * self._weight[term] * credit / total
        return scores
