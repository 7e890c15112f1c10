"""How a query was understood, and why one was refused, in the chat's language."""

from __future__ import annotations

from bot.i18n import Html, Texts
from bot.matching import CompiledQuery, QueryError, TermDescription

__all__ = ["describe_query", "query_error"]


def query_error(error: QueryError, tr: Texts) -> Html:
    """The localized reason a query was refused, with the engine's parameters filled in."""
    key = f"qerr.{error.code}"
    if tr.has(key):
        try:
            return tr(key, **error.params)
        except (KeyError, IndexError, ValueError):
            pass
    return tr("qerr.unknown", message=str(error))


def _meaning(d: TermDescription, tr: Texts) -> Html:
    examples = ", ".join(d.examples)
    if d.kind in ("word", "name"):
        if not d.known:
            return tr("desc.word_guess")
        if examples:
            return tr(f"desc.{d.kind}", examples=examples)
        return tr(f"desc.{d.kind}_plain")
    if d.kind == "abbreviation":
        return tr("desc.abbreviation", text=d.text)
    if d.kind == "prefix":
        return tr("desc.prefix", prefix=d.text.rstrip("*"))
    if d.kind in ("exact", "english", "phrase"):
        return tr(f"desc.{d.kind}")
    return tr("desc.word_plain")


def describe_query(query: CompiledQuery, tr: Texts) -> Html:
    """How the engine understood a query, one line per term, «или» between alternatives."""
    lines: list[str] = []
    branch = 0
    for d in query.describe():
        if d.branch != branch:
            lines.append(tr("desc.or"))
            branch = d.branch
        shown = f"«{d.text}»"
        key = "desc.negated" if d.negated else "desc.line"
        lines.append(tr(key, text=shown, meaning=_meaning(d, tr)))
    return Html("\n".join(lines))
