"""Word analysis: every token becomes a small set of *keys*; a query word matches a token when
their key sets intersect.

Key namespaces (never collide, because lemmas are made of letters only):
  ``лавров``       a pymorphy3 lemma (ё folded to е)
  ``~биткоин``     Snowball Russian stem. Query words get it only when the dictionary does
                   not know them (stems of dictionary words would conflate «нефть» and
                   «нефтяной»); text words get it when unknown or capitalised, so an unknown
                   query name finds «Маска» although the dictionary reads it as «маска»
  ``en:sanction``  Snowball English stem of a Latin word
  ``abbr:мид``     an abbreviation written in capitals, possibly with a case ending (МИДе)
  ``=g20``         a token holding digits or '+', matched whole
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple, TypeVar, cast

import pymorphy3
import Stemmer

from bot.matching.text import BREAK_RE, TOKEN_RE, fold, normalise

NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
PERSON_GRAMMEMES = frozenset({"Name", "Surn", "Patr"})
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED"})

_LATIN = re.compile(r"^[a-z][a-z'’-]*$")
_EXACT = re.compile(r"[\d+]")
_ABBR_WITH_ENDING = re.compile(r"^([A-ZА-ЯЁ]{2,5})([a-zа-яё]{1,3})$")
_ALL_CAPS = re.compile(r"^[A-ZА-ЯЁ]{2,5}$")
_DIGITS = re.compile(r"^\d+$")
_K = TypeVar("_K")
_V = TypeVar("_V")
_H = TypeVar("_H", bound=Hashable)
_POSSESSIVE = re.compile(r"['’]s$")


class Token(NamedTuple):
    """One word of a document (a named tuple: a million of them are built per minute)."""

    start: int  # span in the original text
    end: int
    surface: str  # as written in the original text
    norm: str  # folded (lower case, ё -> е), used for prefix terms
    keys: frozenset[str]
    segment: int  # sentence/paragraph number: phrases stay inside one segment


@dataclass(frozen=True, slots=True)
class Document:
    """An analysed item. Spans in tokens refer to offsets in `text` (the string as given,
    before entity decoding or Unicode normalisation)."""

    text: str
    tokens: Sequence[Token]
    postings: dict[str, tuple[int, ...]]  # key -> token indexes holding it

    def positions(self, keys: frozenset[str]) -> list[int]:
        """Sorted indexes of the tokens holding any of `keys`."""
        found: list[int] = []
        hits = 0
        for key in keys:
            hit = self.postings.get(key)
            if hit:
                found.extend(hit)
                hits += 1
        return sorted(set(found)) if hits > 1 else found


@dataclass(frozen=True, slots=True)
class WordInfo:
    """How a query word was understood; also the compiled word term (shared between queries
    through the analyzer's cache, which keeps a million subscriptions small)."""

    surface: str
    kind: str  # "word" | "name" | "abbreviation" | "exact" | "english"
    keys: frozenset[str]
    known: bool  # False when the dictionary does not know the word (keys are guesses/stems)
    function_word: bool  # preposition, conjunction...: a poor index anchor
    lemma: str


class Analyzer:
    """Owns the morphological analyser, stemmers and caches; create one per process."""

    def __init__(self, cache_size: int = 200_000) -> None:
        self._morph = pymorphy3.MorphAnalyzer()
        self._ru = Stemmer.Stemmer("russian")
        self._en = Stemmer.Stemmer("english")
        self._cache_size = max(16, cache_size)
        self._doc_cache: dict[str, tuple[str, frozenset[str]]] = {}
        self._query_cache: dict[str, WordInfo] = {}
        self._examples: dict[str, tuple[str, ...]] = {}
        self._interned: dict[Hashable, Hashable] = {}

    # -- documents ---------------------------------------------------------------------------
    def document(self, text: str) -> Document:
        norm = normalise(text)
        ntext = norm.text
        tokens: list[Token] = []
        postings: dict[str, list[int]] = {}
        segment = 0
        prev_end = 0
        cache = self._doc_cache
        breaks = BREAK_RE.search
        identity = norm.starts is None
        for m in TOKEN_RE.finditer(ntext):
            lo, hi = m.span()
            if tokens and breaks(ntext, prev_end, lo) is not None:
                segment += 1
            prev_end = hi
            surface = m.group()
            cached = cache.get(surface)
            if cached is None:
                cached = (fold(surface), self._doc_keys(surface))
                if len(cache) >= self._cache_size:
                    _evict(cache)
                cache[surface] = cached
            folded, keys = cached
            if identity:
                start, end = lo, hi
            else:
                start, end = norm.span(lo, hi)
            index = len(tokens)
            tokens.append(Token(start, end, text[start:end], folded, keys, segment))
            for key in keys:
                hit = postings.get(key)
                if hit is None:
                    postings[key] = [index]
                else:
                    hit.append(index)
        return Document(text, tuple(tokens), {k: tuple(v) for k, v in postings.items()})

    def word_keys(self, surface: str) -> frozenset[str]:
        """Keys of one document word, through the cache (what a repeated word costs)."""
        cached = self._doc_cache.get(surface)
        if cached is None:
            cached = (fold(surface), self._doc_keys(surface))
            if len(self._doc_cache) >= self._cache_size:
                _evict(self._doc_cache)
            self._doc_cache[surface] = cached
        return cached[1]

    def _doc_keys(self, surface: str) -> frozenset[str]:
        word = fold(surface)
        if _EXACT.search(word):
            keys = {"=" + word}
            keys.update("=" + part for part in word.split("-") if _DIGITS.match(part))
            return frozenset(keys)
        bare = _POSSESSIVE.sub("", surface)
        keys = set()
        abbr = _abbreviation_of(bare)
        if _LATIN.match(word):
            keys.add("en:" + self._en.stemWord(fold(bare)))
            if abbr:
                keys.add("abbr:" + abbr)
            return frozenset(keys)
        parses = self._morph.parse(word)
        if surface[:1].islower():
            # A lower-case token is not a personal name: «песков» is sand, not Peskov.
            parses = [p for p in parses if not PERSON_GRAMMEMES & p.tag.grammemes] or parses
        keys.update(fold(p.normal_form) for p in parses)
        known = any(p.is_known for p in parses)
        if not known or not surface[:1].islower():
            # Unknown words, and capitalised ones (possibly an unknown name homonymous with a
            # dictionary word: «Маска» is Musk's genitive), also get their stem.
            keys.add("~" + self._ru.stemWord(word))
        if abbr is None and len(word) <= 5 and any("Abbr" in p.tag.grammemes for p in parses):
            abbr = word
        if abbr:
            keys.add("abbr:" + abbr)
        return frozenset(keys)

    # -- queries -----------------------------------------------------------------------------
    def query_word(self, surface: str) -> WordInfo:
        """Analyse one query word (a single token as matched by TOKEN_RE)."""
        info = self._query_cache.get(surface)
        if info is None:
            info = self._query_word(surface)
            if len(self._query_cache) >= self._cache_size:
                _evict(self._query_cache)
            self._query_cache[surface] = info
        return info

    def _query_word(self, surface: str) -> WordInfo:
        word = fold(surface)
        if _EXACT.search(word):
            return WordInfo(surface, "exact", frozenset({"=" + word}), True, False, word)
        bare = _POSSESSIVE.sub("", surface)
        latin = _LATIN.match(word) is not None
        if _ALL_CAPS.match(bare):
            parses = [] if latin else self._morph.parse(word)
            abbreviation = latin or not any(p.is_known for p in parses) or any(
                "Abbr" in p.tag.grammemes for p in parses
            )
            if abbreviation:
                keys = frozenset({"abbr:" + fold(bare)})
                return WordInfo(surface, "abbreviation", keys, True, False, word)
        if latin:
            stem = self._en.stemWord(fold(bare))
            return WordInfo(surface, "english", frozenset({"en:" + stem}), True, False, fold(bare))
        parses = self._morph.parse(word)
        known = any(p.is_known for p in parses)
        function_word = all(p.tag.POS in FUNCTION_POS for p in parses)
        if not known:
            keys = frozenset({word, "~" + self._ru.stemWord(word)})
            return WordInfo(surface, "word", keys, False, False, word)
        kind = "word"
        if not surface[:1].islower():
            names = [p for p in parses if NAME_GRAMMEMES & p.tag.grammemes]
            if names:
                # A name is typed in its dictionary form: «Лавров» is the surname, not the
                # genitive plural of the first name «Лавр».
                parses = [p for p in names if fold(p.normal_form) == word] or names
                kind = "name"
        lemma = fold(parses[0].normal_form)
        keys = frozenset(fold(p.normal_form) for p in parses)
        return WordInfo(surface, kind, keys, True, function_word, lemma)

    def intern(self, value: _H) -> _H:
        """The canonical instance equal to `value`: compiled terms are shared between queries,
        which saves memory and lets one item look each term up once."""
        found = self._interned.get(value)
        if found is None:
            if len(self._interned) >= self._cache_size:
                _evict(self._interned)
            self._interned[value] = value
            return value
        return cast(_H, found)

    def is_noun(self, surface: str) -> bool:
        """Most likely reading is a noun (used to pick realistic benchmark subscriptions)."""
        parses = self._morph.parse(fold(surface))
        return bool(parses) and parses[0].tag.POS == "NOUN"

    def examples(self, surface: str, limit: int = 4) -> tuple[str, ...]:
        """A few inflected forms of a query word, for «Лавров — любые формы: Лаврова…»."""
        cached = self._examples.get(surface)
        if cached is not None:
            return cached
        info = self.query_word(surface)
        forms: list[str] = []
        if info.kind in ("word", "name") and info.known:
            parses = [p for p in self._morph.parse(fold(surface)) if p.is_known]
            if info.kind == "name":
                parses = [p for p in parses if NAME_GRAMMEMES & p.tag.grammemes] or parses
            # Start from the reading the user typed (feminine «Захарова», not masculine genitive).
            parses.sort(key=lambda p: "nomn" not in p.tag.grammemes)
            if parses:
                base = parses[0].tag
                seen = {fold(surface)}
                for form in parses[0].lexeme:
                    if (base.gender and form.tag.gender and form.tag.gender != base.gender) or (
                        base.number and form.tag.number != base.number
                    ):
                        continue
                    text = fold(form.word)
                    if text not in seen:
                        seen.add(text)
                        forms.append(_like(surface, text))
                    if len(forms) >= limit:
                        break
        result = tuple(forms)
        if len(self._examples) >= self._cache_size:
            _evict(self._examples)
        self._examples[surface] = result
        return result


def _abbreviation_of(surface: str) -> str | None:
    """«МИД», «МИДе», «NATO» -> folded abbreviation; «Если» -> None."""
    if _ALL_CAPS.match(surface):
        return fold(surface)
    m = _ABBR_WITH_ENDING.match(surface)
    if m is not None:
        return fold(m.group(1))
    return None


def _like(model: str, word: str) -> str:
    if model.isupper() and len(model) > 1:
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _evict(cache: dict[_K, _V]) -> None:
    """Forget the oldest tenth of a full cache: FIFO costs nothing on a hit, unlike true LRU."""
    for key in list(islice(cache, max(1, len(cache) // 10))):
        del cache[key]
