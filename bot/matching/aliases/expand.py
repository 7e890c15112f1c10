"""Query words that name a known entity also find its other names, at compile time.

A query part (a word, a run of adjacent words, or a quoted phrase) whose words, each read in
its dictionary form, are a name in the alias table becomes an `AliasTerm`: what was typed, or
any other name of the entity, each compiled like a query of its own (any word form; a
multi-word name as a phrase). The index files the term under each alternative's anchor, so an
item costs what it cost before: one more key lookup per alias it actually contains.

Latin spellings: an entity's English names from the table, matched only as capitalised Latin
words as written (``lat:`` keys: «Trump» and «Trump's», never «trumped» or «trampoline»);
a Russian surname (-ов, -ин, -ский…) also gets the spellings `translit` makes of it, in the
table or not, unless the dictionary reads it as a first name or a place («Робин», «Берлин»).
Foreign names (Трамп, Маск) get only the table's spellings: their romanisation would be
«Tramp», «Mask». ``=word`` keeps a word out of all this.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.matching import names, surnames
from bot.matching.aliases.table import AliasTable, Entity, load_aliases
from bot.matching.analyzer import Analyzer, WordInfo
from bot.matching.query import AliasTerm, PhraseTerm, Term
from bot.matching.text import TOKEN_RE, fold, normalise
from bot.matching.translit import latin_spellings

_POSSESSIVE = re.compile(r"['’]s$")
_LATIN_NAME = re.compile(r"^[A-Z][a-z][A-Za-z'’-]*$")  # «Zelensky», «Alfa-Bank»; not «UN»
_CAPITALS = re.compile(r"^[A-ZА-ЯЁ]{2,5}$")  # «ВОЗ», «WHO»: an abbreviation in a name
_SPELLED = frozenset({"person", "company"})  # kinds whose Russian surnames get romanised

Key = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Part:
    """One lexeme of a query branch, compiled, as the expansion sees it."""

    term: Term
    words: tuple[str, ...]  # its words as typed
    shown: str  # as typed, for the reply
    negated: bool
    quoted: bool
    fixed: bool  # =word or a prefix: never read as an entity's name


class AliasIndex:
    """The alias table bound to one analyzer: every name's key, and each entity's compiled
    names. Built once per analyzer (on the first query), shared by all queries."""

    def __init__(self, table: AliasTable, analyzer: Analyzer) -> None:
        self._analyzer = analyzer
        self._owner: dict[Key, Entity] = {}
        self._names: dict[str, list[tuple[Key, str, Term]]] = {}
        self._spelled_as: dict[str, tuple[str, ...]] = {}  # surname -> its romanisations
        self.clashes: list[tuple[Key, str, str]] = []  # a name's key claimed twice
        self.longest = 1
        for entity in table.entities:
            searched = [self._compiled(name) for name in entity.searched]
            if entity.kind in _SPELLED:  # the table's own spellings first
                spelled = (s for name in entity.searched for s in self._spellings(name))
                searched.extend(self._compiled(s) for s in spelled)
            keys = [key for key, _, _ in searched]
            keys += [self.key(TOKEN_RE.findall(normalise(n).text)) for n in entity.one_way]
            for key in keys:
                other = self._owner.setdefault(key, entity)
                if other is not entity:  # «Банка России» of one, «Банк России» of another
                    self.clashes.append((key, other.name, entity.name))
                    self._owner[key] = entity  # the later one (the operator's file) wins
            unique: dict[Key, tuple[Key, str, Term]] = {}
            for compiled in searched:
                unique.setdefault(compiled[0], compiled)
            self._names[entity.name] = list(unique.values())
        self.longest = max((len(k) for k in self._owner), default=1)

    def key(self, words: Sequence[str]) -> Key:
        """A name as its words' dictionary forms: «Банка России» and «Банк России» are one."""
        return tuple(_POSSESSIVE.sub("", self._analyzer.query_word(w).lemma) for w in words)

    def expand(self, parts: Sequence[Part], key: Key, text: str) -> AliasTerm | None:
        """The term for `parts` if their words name an entity (or a Russian surname that
        gets Latin spellings); None otherwise."""
        entity = self._owner.get(key)
        if entity is None:
            return self._spelled(parts[0], text) if len(parts) == 1 else None
        # Typed as a name, a word is read as the table reads it: «ВОЗ» is not «воз». (A Latin
        # word typed keeps its English reading, lower case too: the development set's rule.)
        typed = tuple(self._as_name(p.term) for p in parts)
        others = [(name, term) for k, name, term in self._names[entity.name] if k != key]
        # «ЦБ РФ» adds nothing where «ЦБ» is searched: every item it finds has «ЦБ» in it.
        single = {t for t in typed if len(typed) == 1}
        single.update(term for _, term in others if not isinstance(term, PhraseTerm))
        others = [(n, t) for n, t in others if t not in typed and not _within(single, t)]
        if not others:
            return None
        alternatives = (typed, *((term,) for _, term in others))
        return self._analyzer.intern(AliasTerm(text, alternatives, tuple(n for n, _ in others)))

    def _spelled(self, part: Part, text: str) -> AliasTerm | None:
        term = part.term
        if part.quoted or not isinstance(term, WordInfo) or term.kind != "name":
            return None
        spellings = self._spellings(part.words[0])
        if not spellings:
            return None
        alternatives = ((term,), *((self._latin(s),) for s in spellings))
        return self._analyzer.intern(AliasTerm(text, alternatives, spellings))

    def _spellings(self, name: str) -> tuple[str, ...]:
        """Latin spellings of a one-word Russian surname, or nothing."""
        found = self._spelled_as.get(name)
        if found is None:
            found = self._spelled_as[name] = self._romanised(name)
        return found

    def _romanised(self, name: str) -> tuple[str, ...]:
        if not name[:1].isupper() or " " in name:
            return ()
        word = fold(name)
        shape = surnames.query_shape(word)
        if shape is None or not shape[1]:
            return ()
        if names.other_name(word, self._analyzer.readings(name)):
            return ()
        return latin_spellings(name)

    def _as_name(self, term: Term) -> Term:
        if isinstance(term, WordInfo) and term.kind == "word":
            return self._name_word(term.surface)
        return term

    def _name_word(self, word: str) -> WordInfo:
        """A word of a name: a capitalised Latin word as written, a word in capitals as an
        abbreviation, any other word as a query word."""
        if _LATIN_NAME.match(word):
            return self._latin(word)
        if _CAPITALS.match(word):
            keys = frozenset({"abbr:" + fold(word)})
            return self._analyzer.intern(
                WordInfo(word, "abbreviation", keys, True, False, fold(word))
            )
        return self._analyzer.query_word(word)

    def _compiled(self, name: str) -> tuple[Key, str, Term]:
        words = TOKEN_RE.findall(normalise(name).text)
        infos = tuple(self._name_word(w) for w in words)
        term: Term = infos[0]
        if len(infos) > 1:
            term = self._analyzer.intern(PhraseTerm(" ".join(words), infos))
        return self.key(words), name, term

    def _latin(self, word: str) -> WordInfo:
        bare = fold(_POSSESSIVE.sub("", word))
        keys = frozenset({names.LATIN + bare})
        return self._analyzer.intern(WordInfo(word, "spelling", keys, True, False, bare))


def _within(words: set[Term], term: Term) -> bool:
    """A phrase that holds one of `words`: it finds nothing they do not."""
    return isinstance(term, PhraseTerm) and any(w in words for w in term.words)


def alias_index(analyzer: Analyzer) -> AliasIndex:
    """The analyzer's alias index, built on first use from its table (or the built-in one)."""
    found = analyzer.bound.get(AliasIndex)
    if isinstance(found, AliasIndex):
        return found
    table = analyzer.aliases if analyzer.aliases is not None else load_aliases()
    index = AliasIndex(table, analyzer)
    analyzer.bound[AliasIndex] = index
    return index


def expand_branch(parts: Sequence[Part], analyzer: Analyzer) -> list[Part]:
    """`parts` with every name of an entity (the longest run of adjacent words first)
    replaced by one part holding its `AliasTerm`."""
    index = alias_index(analyzer)
    out: list[Part] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if part.fixed:
            out.append(part)
            i += 1
            continue
        found: Part | None = None
        end = i + 1
        if part.quoted:
            found = _expanded(index, [part])
        else:
            for end in range(min(len(parts), i + index.longest), i, -1):
                run = parts[i:end]
                if all(not p.quoted and not p.fixed and p.negated == part.negated for p in run):
                    found = _expanded(index, run)
                    if found is not None:
                        break
            else:
                end = i + 1
        out.append(found or part)
        i = end if found is not None else i + 1
    return out


def _expanded(index: AliasIndex, run: Sequence[Part]) -> Part | None:
    words = tuple(w for p in run for w in p.words)
    text = " ".join(p.shown.lstrip("-").strip('"') for p in run)
    term = index.expand(run, index.key(words), text)
    if term is None:
        return None
    first = run[0]
    return Part(term, words, text, first.negated, first.quoted, False)
