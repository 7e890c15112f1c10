"""«Почему?»: which words of an item a query found, in which forms, and under which name.

The item is analysed again as the matcher saw it (title, blank line, text), so the answer is
what the engine does today, with the query as it is now: a query edited since the alert (an
exclusion added) may no longer match, and the answer says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.matching import CompiledQuery, Document
from bot.matching.query import AliasTerm, PhraseTerm, PrefixTerm, Scan, Term

__all__ = ["FORMS", "Explanation", "Found", "explain"]

FORMS = 5  # distinct forms listed per term


@dataclass(frozen=True, slots=True)
class Found:
    term: str  # as typed in the query
    forms: tuple[str, ...]  # as written in the item, first seen first, case-insensitively once
    names: tuple[str, ...]  # other names of the entity the term was found as
    in_title: bool


@dataclass(frozen=True, slots=True)
class Explanation:
    query: CompiledQuery
    found: tuple[Found, ...]  # empty: the query does not match the item (any more)

    @property
    def matches(self) -> bool:
        return bool(self.found)


def explain(query: CompiledQuery, doc: Document, title_end: int) -> Explanation:
    """What `query` finds in `doc`; `title_end`: where the title ends in the document text."""
    scan = Scan(doc)
    found: list[Found] = []
    seen: set[int] = set()
    for branch in query.branches:
        if not scan.branch_matches(branch):
            continue
        for term in branch.positives:
            if id(term) in seen:
                continue
            seen.add(id(term))
            found.append(_found(term, scan, doc, title_end))
    return Explanation(query, tuple(found))


def _found(term: Term, scan: Scan, doc: Document, title_end: int) -> Found:
    occurrences = scan.everywhere(term)
    forms: list[str] = []
    folded: set[str] = set()
    for occ in occurrences:
        start, end = doc.tokens[occ[0]].start, doc.tokens[occ[-1]].end
        form = " ".join(doc.text[start:end].split())
        if form.casefold() not in folded:
            folded.add(form.casefold())
            forms.append(form)
    in_title = any(doc.tokens[occ[0]].start < title_end for occ in occurrences)
    names: tuple[str, ...] = ()
    if isinstance(term, AliasTerm):
        names = tuple(
            name
            for name, alternative in zip(term.names, term.alternatives[1:], strict=False)
            if all(scan.find(t) for t in alternative)
        )
    return Found(_typed(term), tuple(forms[:FORMS]), names, in_title)


def _typed(term: Term) -> str:
    if isinstance(term, AliasTerm):
        return term.text
    if isinstance(term, PhraseTerm):
        return f'"{term.text}"'
    if isinstance(term, PrefixTerm):
        return term.prefix + "*"
    return term.surface
