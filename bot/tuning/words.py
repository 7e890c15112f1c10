"""«Исключить слово»: the item's distinctive words, and the query with one more exclusion.

Distinctive means rare in the recent stream: a candidate's weight (2 in the title, 1 in the
text) times its IDF over the title and lead of the latest stored items (a cold stream counts as
at least 20 items, as the story window does). «заявил», «глава», «России» occur in most news
and sink; «трамплин», «Евровидение» do not. Only content words are offered (nouns, adjectives,
verbs and their forms, unknown words and names; no numbers, no words under three letters), and
none that the query itself looks for or already excludes.

A candidate is offered in the form the query language reads back onto this very item: the
dictionary form («трамплин»), capitalised for a name inside a sentence («Шойгу»), and only if
that form's keys catch the word in the item, so one tap is sure to stop this item's kind.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.matching import Analyzer, CompiledQuery, Document, Token, WordInfo, item_text
from bot.matching.names import NAME_GRAMMEMES
from bot.matching.query import AliasTerm, PhraseTerm, PrefixTerm, Term

__all__ = [
    "CANDIDATES",
    "POOL",
    "Candidate",
    "distinctive_words",
    "with_exclusion",
    "word_tag",
]

CANDIDATES = 6  # buttons offered
POOL = 12  # ranked at a press, so a word from a list drawn a little earlier is still found
MIN_LETTERS = 3
TITLE_WEIGHT = 2.0
MIN_DOCUMENTS = 20
LEAD_CHARS = 4_000  # of the item's text, as the story signature reads it
_CONTENT = frozenset({"NOUN", "ADJF", "ADJS", "COMP", "VERB", "INFN", "PRTF", "PRTS", "GRND"})


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str  # what follows the «-» in the query
    keys: frozenset[str]  # its keys as a query word
    position: int  # first token of it in the item
    score: float = 0.0


def word_tag(text: str) -> int:
    """A word's short fingerprint for a button (a payload holds 64 bytes, a word may not fit)."""
    return zlib.crc32(text.encode("utf-8"))


def distinctive_words(
    analyzer: Analyzer,
    title: str,
    text: str,
    query: CompiledQuery,
    recent: Sequence[str],
    limit: int = CANDIDATES,
) -> list[Candidate]:
    """The item's best words to exclude, most distinctive first."""
    doc = analyzer.document(item_text(title, text[:LEAD_CHARS]))
    found = _candidates(analyzer, doc, len(title), query)
    if not found:
        return []
    counts = _document_frequencies(analyzer, recent, [c.keys for c in found])
    documents = max(len(recent), MIN_DOCUMENTS)
    scored = [
        Candidate(
            c.text,
            c.keys,
            c.position,
            c.score * math.log((documents + 1) / (counts[c.keys] + 1)),
        )
        for c in found
    ]
    scored.sort(key=lambda c: (-c.score, c.position))
    return scored[:limit]


def _candidates(
    analyzer: Analyzer, doc: Document, title_end: int, query: CompiledQuery
) -> list[Candidate]:
    """Every content word not of the query, once per query form, with its best field weight
    (`score` holds the weight until IDF is applied)."""
    keys, prefixes = _query_keys(query)
    match = query.match(doc)
    if match is not None:
        for index in match.token_indexes:
            keys |= doc.tokens[index].keys
    best: dict[str, Candidate] = {}
    for index, token in enumerate(doc.tokens):
        if token.keys & keys or any(token.norm.startswith(p) for p in prefixes):
            continue
        form = _query_form(analyzer, doc.tokens, index)
        if form is None:
            continue
        info = analyzer.query_word(form)
        if info.keys & keys:
            continue
        weight = TITLE_WEIGHT if token.start < title_end else 1.0
        seen = best.get(form.casefold())
        if seen is None:
            best[form.casefold()] = Candidate(form, info.keys, index, weight)
        elif weight > seen.score:
            best[form.casefold()] = Candidate(seen.text, seen.keys, seen.position, weight)
    return list(best.values())


def _query_form(analyzer: Analyzer, tokens: Sequence[Token], index: int) -> str | None:
    """How a query names this word, or None when it is not a content word or no query form
    of it would catch it here."""
    token = tokens[index]
    surface = token.surface
    if sum(ch.isalpha() for ch in surface) < MIN_LETTERS or any(ch.isdigit() for ch in surface):
        return None
    if any(k.startswith("=") for k in token.keys):
        return None
    if (surface.isupper() and len(surface) <= 5) or surface.isascii():
        forms = [surface]  # an abbreviation («НАТО») or a Latin word: as written
    else:
        readings = analyzer.readings(surface)
        if readings and readings[0].is_known and readings[0].tag.POS not in _CONTENT:
            return None
        lemma = str(readings[0].normal_form) if readings else surface.lower()
        title = lemma[:1].upper() + lemma[1:]
        starts = index == 0 or tokens[index - 1].segment != token.segment
        named = bool(readings) and bool(NAME_GRAMMEMES & readings[0].tag.grammemes)
        if surface[:1].isupper() and (named or not starts):  # a name, inside a sentence or not
            forms = [title, surface]
        else:
            forms = [lemma, surface.lower(), title]
    for form in forms:
        info = analyzer.query_word(form)
        if not info.function_word and info.keys & token.keys:
            return form
    return None


def _query_keys(query: CompiledQuery) -> tuple[set[str], list[str]]:
    """The keys of every word the query names (looked for or excluded), and its prefixes."""
    keys: set[str] = set()
    prefixes: list[str] = []

    def walk(terms: Iterable[Term]) -> None:
        for term in terms:
            if isinstance(term, WordInfo):
                keys.update(term.keys)
            elif isinstance(term, PhraseTerm):
                walk(term.words)
            elif isinstance(term, PrefixTerm):
                prefixes.append(term.prefix)
            elif isinstance(term, AliasTerm):
                for alternative in term.alternatives:
                    walk(alternative)

    for branch in query.branches:
        walk(branch.positives)
        walk(branch.negatives)
    return keys, prefixes


def _document_frequencies(
    analyzer: Analyzer, texts: Sequence[str], wanted: Sequence[frozenset[str]]
) -> dict[frozenset[str], int]:
    """How many of `texts` hold each wanted word (any of its keys)."""
    counts = dict.fromkeys(wanted, 0)
    for text in texts:
        held = set(analyzer.document(text).postings)
        for keys in counts:
            if not held.isdisjoint(keys):
                counts[keys] += 1
    return counts


def with_exclusion(raw: str, word: str) -> str:
    """`raw` with «-word» added to every alternative (an exclusion belongs to one side of OR,
    so «A OR B» becomes «A -word OR B -word»); the rest is kept as typed."""
    parts: list[str] = []
    quoted = False
    last = i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == '"':
            quoted = not quoted
        elif not quoted and (ch == "|" or (raw.startswith("OR", i) and _alone(raw, i, 2))):
            parts.append(_excluding(raw[last:i], word))
            size = 1 if ch == "|" else 2
            parts.append(raw[i : i + size])
            last = i = i + size
            continue
        i += 1
    parts.append(_excluding(raw[last:], word))
    return "".join(parts).strip()


def _excluding(branch: str, word: str) -> str:
    """One alternative with the exclusion at its end, the spaces around it kept."""
    lead = " " if branch[:1].isspace() else ""
    trail = " " if branch[-1:].isspace() else ""
    return f"{lead}{branch.strip()} -{word}{trail}"


def _alone(raw: str, start: int, length: int) -> bool:
    """Whether raw[start:start+length] stands between spaces (or the ends)."""
    before = start == 0 or raw[start - 1].isspace()
    end = start + length
    after = end == len(raw) or raw[end].isspace()
    return before and after
