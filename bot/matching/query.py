"""The query language: parsing, compiled queries and the direct (unindexed) check.

Syntax: words separated by spaces (all must occur, any order, any form); "quoted phrases"
(adjacent, in order, inside one sentence); ``OR`` (upper case) or ``|`` between alternatives;
``-word`` / ``-"phrase"`` exclusions; ``word*`` surface prefixes (>= 3 letters). A comma is not
part of the language (the chat splits subscriptions on it), so it is rejected here.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from bot.matching.analyzer import Analyzer, Document, WordInfo
from bot.matching.text import TOKEN_RE, fold, normalise
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


Term = WordInfo | PrefixTerm | PhraseTerm


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
    kind: str  # "word" | "name" | "abbreviation" | "exact" | "phrase" | "prefix" | "english"
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

    def describe(self) -> list[TermDescription]:
        out: list[TermDescription] = []
        for number, branch in enumerate(self.branches):
            for negated, terms in ((False, branch.positives), (True, branch.negatives)):
                for term in terms:
                    out.append(self._describe(number, term, negated))
        return out

    def _describe(self, branch: int, term: Term, negated: bool) -> TermDescription:
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

    __slots__ = ("_occurrences", "_results", "doc", "prefixes", "scanned")

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
        if isinstance(term, PrefixTerm):
            prefix = term.prefix
            if prefix in self.scanned:
                return [(i,) for i in self.prefixes.get(prefix, ())]
            return [(i,) for i, tok in enumerate(doc.tokens) if tok.norm.startswith(prefix)]
        return find_phrase(term, doc)

    def branch_matches(self, branch: Branch) -> bool:
        find = self.find
        return all(map(find, branch.positives)) and not any(map(find, branch.negatives))

    def result(self, branches: list[Branch]) -> MatchResult:
        terms = [t for b in branches for t in b.positives]
        key = tuple(id(t) for t in terms)
        result = self._results.get(key)
        if result is None:
            occurrences = [occ for t in terms for occ in self.find(t)]
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


# -- parsing -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Lexeme:
    text: str
    negated: bool = False
    quoted: bool = False
    is_or: bool = False


def parse_query(raw: str, analyzer: Analyzer) -> CompiledQuery:
    """Compile a query typed by a user; raises QueryError with a precise reason."""
    query = raw.strip()
    if not query:
        raise QueryError("empty", "The query is empty.")
    if len(query) > MAX_LENGTH:
        raise QueryError(
            "too_long",
            f"The query is {len(query)} characters long; the limit is {MAX_LENGTH}.",
            limit=MAX_LENGTH,
            length=len(query),
        )
    if "," in query:
        raise QueryError(
            "comma",
            "A comma is not part of a query: send each subscription separately "
            "(in /sub, commas separate subscriptions).",
        )
    branches_lex = _split_or(_lex(query))
    branches: list[Branch] = []
    count = 0
    for lexemes in branches_lex:
        positives: list[Term] = []
        negatives: list[Term] = []
        for lex in lexemes:
            term = _compile_term(lex, analyzer)
            count += len(term.words) if isinstance(term, PhraseTerm) else 1
            (negatives if lex.negated else positives).append(term)
        if not positives:
            if len(branches_lex) == 1:
                raise QueryError(
                    "only_exclusions",
                    "The query only excludes words; add at least one word to look for.",
                )
            text = " ".join(_show(lex) for lex in lexemes)
            raise QueryError(
                "branch_only_exclusions",
                f"The alternative «{text}» only excludes words; "
                "each side of OR needs a word to look for.",
                branch=text,
            )
        branches.append(Branch(tuple(positives), tuple(negatives)))
    if count > MAX_TERMS:
        raise QueryError(
            "too_many_terms",
            f"The query has {count} words; the limit is {MAX_TERMS}.",
            limit=MAX_TERMS,
            count=count,
        )
    return CompiledQuery(query, tuple(branches), analyzer)


def _show(lex: _Lexeme) -> str:
    text = f'"{lex.text}"' if lex.quoted else lex.text
    return "-" + text if lex.negated else text


def _lex(query: str) -> list[_Lexeme]:
    out: list[_Lexeme] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
            continue
        if ch == "|":
            out.append(_Lexeme("|", is_or=True))
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and query[i + 1] == '"':
            negated, i, ch = True, i + 1, '"'
        if ch == '"':
            close = query.find('"', i + 1)
            if close < 0:
                raise QueryError(
                    "unbalanced_quote",
                    'A quotation mark is not closed: put phrases between two " marks.',
                )
            out.append(_Lexeme(query[i + 1 : close], negated=negated, quoted=True))
            i = close + 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] not in '|"':
            j += 1
        word = query[i:j]
        i = j
        if word == "OR":
            out.append(_Lexeme(word, is_or=True))
        elif word.startswith("-") and len(word) > 1:
            out.append(_Lexeme(word[1:], negated=True))
        else:
            out.append(_Lexeme(word))
    return out


def _split_or(lexemes: list[_Lexeme]) -> list[list[_Lexeme]]:
    branches: list[list[_Lexeme]] = [[]]
    for lex in lexemes:
        if lex.is_or:
            branches.append([])
        else:
            branches[-1].append(lex)
    if len(branches) > 1 and any(not b for b in branches):
        raise QueryError(
            "dangling_or",
            "OR (or |) must stand between two alternatives, e.g. «Лавров OR Песков».",
        )
    return branches


def _compile_term(lex: _Lexeme, analyzer: Analyzer) -> Term:
    text = normalise(lex.text).text.strip()
    shown = _show(lex)
    if lex.quoted and not text:
        raise QueryError(
            "empty_phrase", f"The phrase {shown} has nothing between the quotes.", term=shown
        )
    if "*" in text:
        if lex.quoted:
            raise QueryError(
                "wildcard_in_phrase",
                f"«{shown}»: * works on single words, not inside a quoted phrase.",
                term=shown,
            )
        prefix = fold(text[:-1])
        if not text.endswith("*") or TOKEN_RE.fullmatch(prefix) is None:
            if not any(ch.isalnum() for ch in text):
                raise QueryError("no_letters", f"«{shown}» has no letters or digits.", term=shown)
            raise QueryError(
                "bad_wildcard",
                f"«{shown}»: * may only end a word, as in «санкц*».",
                term=shown,
            )
        letters = sum(ch.isalnum() for ch in prefix)  # «202*» is as selective as «сан*»
        if letters < MIN_PREFIX:
            raise QueryError(
                "prefix_too_short",
                f"«{shown}»: put at least {MIN_PREFIX} letters or digits before *.",
                term=shown,
                min=MIN_PREFIX,
            )
        return analyzer.intern(PrefixTerm(prefix))
    words = TOKEN_RE.findall(text)
    if not words:
        raise QueryError("no_letters", f"«{shown}» has no letters or digits.", term=shown)
    infos = tuple(analyzer.query_word(w) for w in words)
    if len(infos) == 1:
        return infos[0]
    # Interned, like word terms: shared phrases are stored once and looked up once per item.
    return analyzer.intern(PhraseTerm(" ".join(words), infos))


def anchor_rank(term: Term) -> tuple[int, int]:
    """How selective a term is likely to be, without corpus statistics: names, abbreviations
    and numbers beat ordinary words, which beat prefixes; function words come last."""
    if isinstance(term, PrefixTerm):
        return (1, len(term.prefix))
    if isinstance(term, PhraseTerm):
        return max(anchor_rank(w) for w in term.words)
    if term.function_word:
        return (0, len(term.lemma))
    if term.kind in ("name", "abbreviation", "exact"):
        return (3, len(term.lemma))
    return (2, len(term.lemma))
