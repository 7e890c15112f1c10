"""Parsing the query language into a `CompiledQuery`, with a precise reason for every refusal.

Syntax: words separated by spaces (all must occur, any order, any form); "quoted phrases"
(adjacent, in order, inside one sentence); ``OR`` (upper case) or ``|`` between alternatives;
``-word`` / ``-"phrase"`` exclusions; ``word*`` surface prefixes (>= 3 letters); ``=word`` /
``="phrase"``: without the entity's other names (a name in the alias table otherwise finds all
of them, aliases/expand.py). A comma is not part of the language (the chat splits
subscriptions on it), so it is rejected here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.matching.aliases.expand import Part, expand_branch
from bot.matching.analyzer import Analyzer, WordInfo
from bot.matching.query import (
    MAX_LENGTH,
    MAX_TERMS,
    MIN_PREFIX,
    Branch,
    CompiledQuery,
    PhraseTerm,
    PrefixTerm,
    QueryError,
    Term,
)
from bot.matching.text import TOKEN_RE, fold, normalise


@dataclass(frozen=True, slots=True)
class _Lexeme:
    text: str
    negated: bool = False
    quoted: bool = False
    is_or: bool = False
    exact: bool = False  # =word: the name as typed, without its entity's other names


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
        parts: list[Part] = []
        for lex in lexemes:
            term = _compile_term(lex, analyzer)
            count += len(term.words) if isinstance(term, PhraseTerm) else 1
            words = tuple(w.surface for w in term.words) if isinstance(term, PhraseTerm) else ()
            if isinstance(term, WordInfo):
                words = (term.surface,)
            fixed = lex.exact or isinstance(term, PrefixTerm)
            parts.append(Part(term, words, _show(lex), lex.negated, lex.quoted, fixed))
        for part in expand_branch(parts, analyzer):
            (negatives if part.negated else positives).append(part.term)
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
    text = "=" + text if lex.exact else text
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
        negated = exact = False
        if ch == "-" and i + 1 < n and query[i + 1] in '"=':
            negated, i, ch = True, i + 1, query[i + 1]
        if ch == "=" and i + 1 < n and query[i + 1] == '"':
            exact, i, ch = True, i + 1, '"'
        if ch == '"':
            close = query.find('"', i + 1)
            if close < 0:
                raise QueryError(
                    "unbalanced_quote",
                    'A quotation mark is not closed: put phrases between two " marks.',
                )
            text = query[i + 1 : close]
            out.append(_Lexeme(text, negated=negated, quoted=True, exact=exact))
            i = close + 1
            continue
        j = i
        while j < n and not query[j].isspace() and query[j] not in '|"':
            j += 1
        word = query[i:j]
        i = j
        if word == "OR":
            out.append(_Lexeme(word, is_or=True))
            continue
        if not negated and word.startswith("-") and len(word) > 1:
            negated, word = True, word[1:]
        if word.startswith("=") and len(word) > 1:
            exact, word = True, word[1:]
        out.append(_Lexeme(word, negated=negated, exact=exact))
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
