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
    if d.kind in ("exact", "english", "phrase", "spelling"):
        return tr(f"desc.{d.kind}")
    return tr("desc.word_plain")


_ALSO_SHOWN = 8  # other names listed in full; the rest are counted


def _also(d: TermDescription, tr: Texts) -> Html:
    """«ЦБ» — также: Банк России, Центробанк… and how to subscribe to the name alone."""
    names = ", ".join(d.examples[:_ALSO_SHOWN])
    hidden = len(d.examples) - _ALSO_SHOWN
    if hidden > 0:
        names += " " + tr.plain("desc.also_more", count=hidden)
    exact = f'="{d.text}"' if " " in d.text else f"={d.text}"
    key = "desc.also_negated" if d.negated else "desc.also"
    return tr(key, text=f"«{d.text}»", names=names, exact=exact)


def describe_query(query: CompiledQuery, tr: Texts) -> Html:
    """How the engine understood a query, one line per term, «или» between alternatives; a
    name of an entity is followed by the other names it also finds."""
    lines: list[str] = []
    branch = 0
    for d in query.describe(aliases=True):
        if d.branch != branch:
            lines.append(tr("desc.or"))
            branch = d.branch
        if d.kind == "alias":
            lines.append(_also(d, tr))
            continue
        shown = f"«{d.text}»"
        key = "desc.negated" if d.negated else "desc.line"
        lines.append(tr(key, text=shown, meaning=_meaning(d, tr)))
    return Html("\n".join(lines))
