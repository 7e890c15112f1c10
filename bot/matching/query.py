"""Compiled queries and the direct (unindexed) check; `parse.py` turns text into them.

Syntax: words separated by spaces (all must occur, any order, any form); "quoted phrases"
(adjacent, in order, inside one sentence); ``OR`` (upper case) or ``|`` between alternatives;
``-word`` / ``-"phrase"`` exclusions; ``word*`` surface prefixes (>= 3 letters); ``=word`` /
``="phrase"`` the name as typed, without the other names of its entity (aliases/expand.py). A
comma is not part of the language (the chat splits subscriptions on it), so it is rejected here.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from bot.matching.analyzer import Analyzer, Document, WordInfo
from bot.text import merge_spans

MAX_LENGTH = 256
MAX_TERMS = 12
MIN_PREFIX = 3


class QueryError(ValueError):
    """A query that cannot be saved. `code` and `params` let the chat layer render a message in
    the user's language; str() is a precise English message."""

    def __init__(self, code: str, message: str, **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params: dict[str, str | int] = dict(params)


@dataclass(frozen=True, slots=True)
class PrefixTerm:
    prefix: str  # folded surface prefix


@dataclass(frozen=True, slots=True)
class PhraseTerm:
    text: str
    words: tuple[WordInfo, ...]


@dataclass(frozen=True, slots=True)
class AliasTerm:
    """A name as typed, or another name of its entity: present when any alternative is (an
    alternative holds when all its terms do). The first alternative is what the user typed;
    `names` are the others, for the reply that says what the query also catches."""

    text: str
    alternatives: tuple[tuple[Term, ...], ...]
    names: tuple[str, ...]


Term = WordInfo | PrefixTerm | PhraseTerm | AliasTerm


@dataclass(frozen=True, slots=True)
class Branch:
    """One OR alternative: every positive term present, no negative term present."""

    positives: tuple[Term, ...]
    negatives: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class MatchResult:
    token_indexes: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class TermDescription:
    branch: int  # 0-based OR alternative
    # "word" | "name" | "abbreviation" | "exact" | "phrase" | "prefix" | "english" | "spelling";
    # "alias": the entity's other names the term also catches, in `examples`
    kind: str
    text: str
    negated: bool
    known: bool  # False: the dictionary does not know the word; forms are guessed
    examples: tuple[str, ...]


class CompiledQuery:
    __slots__ = ("_analyzer", "branches", "raw")

    def __init__(self, raw: str, branches: tuple[Branch, ...], analyzer: Analyzer) -> None:
        self.raw = raw
        self.branches = branches
        self._analyzer = analyzer

    def __repr__(self) -> str:
        return f"CompiledQuery({self.raw!r})"

    def match(self, doc: Document, scan: Scan | None = None) -> MatchResult | None:
        """Direct check of this query. `scan` shares term lookups and results between the
        many queries checked against one document (the index passes one)."""
        if scan is None:
            scan = Scan(doc)
        matched = list(filter(scan.branch_matches, self.branches))
        return scan.result(matched) if matched else None

    def matches(self, doc: Document, scan: Scan | None = None) -> bool:
        """Whether `match` would find something, without building positions and spans; stops
        at the first alternative that holds."""
        if scan is None:
            scan = Scan(doc)
        return any(map(scan.branch_matches, self.branches))

    def describe(self, aliases: bool = False) -> list[TermDescription]:
        """One description per term as typed; with `aliases`, each name that also finds other
        names is followed by an "alias" description listing them."""
        out: list[TermDescription] = []
        for number, branch in enumerate(self.branches):
            for negated, terms in ((False, branch.positives), (True, branch.negatives)):
                for term in terms:
                    if not isinstance(term, AliasTerm):
                        out.append(self._describe(number, term, negated))
                        continue
                    out.extend(self._describe(number, t, negated) for t in term.alternatives[0])
                    if aliases:
                        out.append(self._describe(number, term, negated))
        return out

    def _describe(self, branch: int, term: Term, negated: bool) -> TermDescription:
        if isinstance(term, AliasTerm):
            return TermDescription(branch, "alias", term.text, negated, True, term.names)
        if isinstance(term, PrefixTerm):
            return TermDescription(branch, "prefix", term.prefix + "*", negated, True, ())
        if isinstance(term, PhraseTerm):
            known = all(w.known for w in term.words)
            return TermDescription(branch, "phrase", term.text, negated, known, ())
        examples = self._analyzer.examples(term.surface)
        return TermDescription(branch, term.kind, term.surface, negated, term.known, examples)


# -- matching ----------------------------------------------------------------------------------
class Scan:
    """Per-document memo of term occurrences and results. Word terms are shared between queries
    (the analyzer interns them), so thousands of candidate queries cost a few lookups each."""

    __slots__ = ("_everywhere", "_occurrences", "_results", "doc", "prefixes", "scanned")

    def __init__(
        self,
        doc: Document,
        prefixes: dict[str, list[int]] | None = None,
        scanned: Container[str] = (),
    ) -> None:
        self.doc = doc
        # Prefix positions the index already found, and the prefixes it looked for: a prefix
        # it looked for but did not find is absent, others must be searched.
        self.prefixes = prefixes or {}
        self.scanned = scanned
        self._occurrences: dict[int, list[tuple[int, ...]]] = {}
        self._everywhere: dict[int, list[tuple[int, ...]]] = {}
        self._results: dict[tuple[int, ...], MatchResult] = {}

    def find(self, term: Term) -> list[tuple[int, ...]]:
        key = id(term)
        found = self._occurrences.get(key)
        if found is None:
            found = self._find(term)
            self._occurrences[key] = found
        return found

    def _find(self, term: Term) -> list[tuple[int, ...]]:
        doc = self.doc
        if isinstance(term, WordInfo):
            return [(i,) for i in doc.positions(term.keys)]
        if isinstance(term, PhraseTerm):
            return find_phrase(term, doc)
        if isinstance(term, PrefixTerm):
            prefix = term.prefix
            if prefix in self.scanned:
                return [(i,) for i in self.prefixes.get(prefix, ())]
            return [(i,) for i, tok in enumerate(doc.tokens) if tok.norm.startswith(prefix)]
        # A name with aliases: whether it occurs is all a check needs, so the first of its
        # names found will do (`everywhere` finds them all, for highlights).
        for alternative in term.alternatives:
            occurrences = [self.find(t) for t in alternative]
            if all(occurrences):
                return [occ for occs in occurrences for occ in occs]
        return []

    def everywhere(self, term: Term) -> list[tuple[int, ...]]:
        """Every occurrence of `term`; for a name with aliases, of each of its names."""
        if not isinstance(term, AliasTerm):
            return self.find(term)
        found = self._everywhere.get(id(term))
        if found is None:
            hits: set[tuple[int, ...]] = set()
            for alternative in term.alternatives:
                occurrences = [self.find(t) for t in alternative]
                if all(occurrences):
                    hits.update(occ for occs in occurrences for occ in occs)
            found = self._everywhere[id(term)] = sorted(hits)
        return found

    def branch_matches(self, branch: Branch) -> bool:
        find = self.find
        return all(map(find, branch.positives)) and not any(map(find, branch.negatives))

    def result(self, branches: list[Branch]) -> MatchResult:
        terms = [t for b in branches for t in b.positives]
        key = tuple(id(t) for t in terms)
        result = self._results.get(key)
        if result is None:
            occurrences = [occ for t in terms for occ in self.everywhere(t)]
            result = make_result(self.doc, occurrences)
            self._results[key] = result
        return result


def find_phrase(term: PhraseTerm, doc: Document) -> list[tuple[int, ...]]:
    words = term.words
    tokens = doc.tokens
    last = len(tokens) - len(words)
    found: list[tuple[int, ...]] = []
    for start in doc.positions(words[0].keys):
        if start > last:
            continue
        segment = tokens[start].segment
        for k in range(1, len(words)):
            tok = tokens[start + k]
            if tok.segment != segment or words[k].keys.isdisjoint(tok.keys):
                break
        else:
            found.append(tuple(range(start, start + len(words))))
    return found


def make_result(doc: Document, occurrences: list[tuple[int, ...]]) -> MatchResult:
    tokens = doc.tokens
    indexes = sorted({i for occ in occurrences for i in occ})
    raw = sorted({(tokens[occ[0]].start, tokens[occ[-1]].end) for occ in occurrences})
    return MatchResult(tuple(indexes), tuple(merge_spans(raw, touching=False)))


def anchor_rank(term: Term) -> tuple[int, int]:
    """How selective a term is likely to be, without corpus statistics: names, abbreviations
    and numbers beat ordinary words, which beat prefixes; function words come last."""
    if isinstance(term, PrefixTerm):
        return (1, len(term.prefix))
    if isinstance(term, PhraseTerm):
        return max(anchor_rank(w) for w in term.words)
    if isinstance(term, AliasTerm):  # other names of an entity are about as rare as its own
        return max(map(anchor_rank, term.alternatives[0]))
    if term.function_word:
        return (0, len(term.lemma))
    if term.kind in ("name", "abbreviation", "exact", "spelling"):
        return (3, len(term.lemma))
    return (2, len(term.lemma))
