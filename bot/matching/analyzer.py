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
  ``sur:токаев``   a surname base guessed from the ending of a capitalised word (surnames.py)
  ``p:лавров``     the lemma of a personal-name reading of a capitalised word: what a
                   capitalised query asks for, so «Мороз» never finds the lowercase «мороза»
  ``поток#2``      any other key of a word with a number hyphened on («потоку-2»), followed
                   by the number: «Северный поток-2» finds «Северному потоку-2»
  ``lat:zelensky`` a capitalised Latin word as written (possessive dropped, not stemmed): what
                   an entity's Latin spelling asks for, so «Trump» never finds «trumped»
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, NamedTuple, TypeVar, cast

import pymorphy3
import Stemmer

from bot.matching import names, surnames
from bot.matching.aliases.table import AliasTable
from bot.matching.forms import dictionary_forms
from bot.matching.names import NAME_GRAMMEMES, PERSON_GRAMMEMES
from bot.matching.text import BREAK_RE, TOKEN_RE, fold, normalise

FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED"})

_LATIN = re.compile(r"^[a-z][a-z'’-]*$")
_EXACT = re.compile(r"[\d+]")
_ALL_CAPS = re.compile(r"^[A-ZА-ЯЁ]{2,5}$")
_DIGITS = re.compile(r"^\d+$")
_K = TypeVar("_K")
_V = TypeVar("_V")
_H = TypeVar("_H", bound=Hashable)
_POSSESSIVE = re.compile(r"['’]s$")
# «поток-2», «Союз-2», «Спутник-V», «COVID-19»: words, then a number (Arabic or Roman).
_NUMBERED = re.compile(r"^([^\W\d_]+(?:[-\u2010][^\W\d_]+)*)[-\u2010](\d+|[IVX]{1,4})$")
# Shorter word parts are designations («Ту-154», «F-16»), not words to be found on their own.
_NUMBERED_WORD = 3


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

    def __init__(self, cache_size: int = 200_000, aliases: AliasTable | None = None) -> None:
        # The alias table queries expand with (None: the built-in one, read on first use),
        # and helpers built from it for this analyzer (aliases/expand.py), keyed by type.
        self.aliases = aliases
        self.bound: dict[type, object] = {}
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
        numbered = _NUMBERED.match(surface)
        if numbered is not None:
            return self._numbered_doc_keys(word, numbered.group(1), numbered.group(2))
        if _EXACT.search(word):
            keys = {"=" + word}
            keys.update("=" + part for part in word.split("-") if _DIGITS.match(part))
            return frozenset(keys)
        bare = _POSSESSIVE.sub("", surface)
        keys = set()
        abbr = names.abbreviation_of(bare)
        if _LATIN.match(word):
            keys.add("en:" + self._en.stemWord(fold(bare)))
            if surface[:1].isupper():  # a name's Latin spelling, as the alias table gives it
                keys.add(names.LATIN + fold(bare))
            if abbr:
                keys.add("abbr:" + abbr)
            return frozenset(keys)
        parses = self._morph.parse(word)
        if surface[:1].islower():
            # A lower-case token is not a personal name: «песков» is sand, not Peskov.
            parses = [p for p in parses if not PERSON_GRAMMEMES & p.tag.grammemes] or parses
        else:
            keys.update(names.text_keys(word, parses))
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

    def _numbered_doc_keys(self, word: str, part: str, number: str) -> frozenset[str]:
        """«потоку-2»: the keys of «потоку» (the words alone find it), each also with «#2»
        (the numbered query finds it), and the whole token as an exact key."""
        number = fold(number)
        part_keys = self._doc_keys(part)
        keys = {"=" + word}
        if number.isdigit():
            keys.add("=" + number)
        keys.update(key + "#" + number for key in part_keys)
        if len(part) >= _NUMBERED_WORD:
            keys.update(part_keys)
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
        numbered = _NUMBERED.match(surface)
        if numbered is not None:
            return self._numbered_query_word(surface, numbered.group(1), numbered.group(2))
        if _EXACT.search(word):
            return WordInfo(surface, "exact", frozenset({"=" + word}), True, False, word)
        bare = _POSSESSIVE.sub("", surface)
        latin = _LATIN.match(word) is not None
        if _ALL_CAPS.match(bare):
            parses = [] if latin else self._morph.parse(word)
            abbreviation = (
                latin
                or not any(p.is_known for p in parses)
                or any("Abbr" in p.tag.grammemes for p in parses)
            )
            if abbreviation:
                keys = frozenset({"abbr:" + fold(bare)})
                return WordInfo(surface, "abbreviation", keys, True, False, word)
        if latin:
            stem = self._en.stemWord(fold(bare))
            return WordInfo(surface, "english", frozenset({"en:" + stem}), True, False, fold(bare))
        parses = self._morph.parse(word)
        capitalised = not surface[:1].islower()
        if capitalised:
            surname = names.surname_reading(word, parses)
            if surname is not None:
                keys, lemma = surname
                return WordInfo(surface, "name", keys, True, False, lemma)
        known = any(p.is_known for p in parses)
        function_word = all(p.tag.POS in FUNCTION_POS for p in parses)
        if not known:
            keys = frozenset({word, "~" + self._ru.stemWord(word)})
            return WordInfo(surface, "word", keys, False, False, word)
        kind = "word"
        if capitalised:
            named = [p for p in parses if NAME_GRAMMEMES & p.tag.grammemes]
            if named:
                # A name is typed in its dictionary form: «Лавров» is the surname, not the
                # genitive plural of the first name «Лавр».
                parses = [p for p in named if fold(p.normal_form) == word] or named
                kind = "name"
        lemma = fold(parses[0].normal_form)
        lemmas = (names.name_key(p) if kind == "name" else fold(p.normal_form) for p in parses)
        keys = frozenset(lemmas)
        return WordInfo(surface, kind, keys, True, function_word, lemma)

    def _numbered_query_word(self, surface: str, part: str, number: str) -> WordInfo:
        """«поток-2»: the word in any form with this number; «COVID-19», «Ту-154»: the
        designation, whole."""
        number = fold(number)
        info = self.query_word(part)
        keys = {"=" + fold(surface)}
        keys.update(key + "#" + number for key in info.keys)
        if info.kind in ("word", "name") and len(part) >= _NUMBERED_WORD:
            lemma = info.lemma + "-" + number
            return WordInfo(surface, info.kind, frozenset(keys), info.known, False, lemma)
        return WordInfo(surface, "exact", frozenset(keys), True, False, fold(surface))

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

    def readings(self, surface: str) -> list[Any]:
        """pymorphy3's parses of one word, most likely first (to read a typed question)."""
        return list(self._morph.parse(fold(surface)))

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
        result: tuple[str, ...] = ()
        numbered = _NUMBERED.match(surface)
        if numbered is not None:
            part, number = numbered.groups()
            if info.kind in ("word", "name"):
                result = tuple(f"{form}-{number}" for form in self.examples(part, limit))
        else:
            parses = [p for p in self._morph.parse(fold(surface)) if p.is_known]
            if surnames.PREFIX + info.lemma in info.keys and not names.other_name(
                fold(surface), parses
            ):
                # Forms of the pattern, not of a dictionary word it resembles («токай»); they
                # keep the ё the user typed («Королёва»).
                result = surnames.forms(surface, limit)
            elif info.kind in ("word", "name") and info.known:
                if info.kind == "name":
                    parses = [p for p in parses if NAME_GRAMMEMES & p.tag.grammemes] or parses
                result = dictionary_forms(surface, parses, limit)
        if len(self._examples) >= self._cache_size:
            _evict(self._examples)
        self._examples[surface] = result
        return result


def _evict(cache: dict[_K, _V]) -> None:
    """Forget the oldest tenth of a full cache: FIFO costs nothing on a hit, unlike true LRU."""
    for key in list(islice(cache, max(1, len(cache) // 10))):
        del cache[key]
