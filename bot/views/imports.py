"""Replies about importing and exporting: one summary message per import, captions of exports.

A summary is one message whatever the file held: the counts first (real plurals), then each
refused feed or failed line with its reason, as many as fit Telegram's limits and the rest
counted («…и ещё 12»).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.chatfeeds import AddFeedOutcome, FeedRefusal
from bot.i18n import Html, Texts
from bot.imports import FeedImport, SubImport
from bot.opml import OpmlError
from bot.subscriptions import Refusal, SubscribeOutcome
from bot.views.fit import clip, fits
from bot.views.query import query_error

__all__ = [
    "render_feed_import",
    "render_opml_problem",
    "render_sub_import",
]

_URL_UNITS = 80  # of a refused feed's address in the list
_QUERY_UNITS = 60  # of a failed line's query


def _reason(outcome: AddFeedOutcome, limit: int, tr: Texts) -> Html:
    refusal = outcome.refusal
    if refusal == FeedRefusal.LIMIT:
        return tr("import.why-limit", limit=limit)
    if refusal == FeedRefusal.HTTP_ERROR:
        return tr("import.why-http_error", status=outcome.status or 0)
    if refusal is not None and tr.has(f"import.why-{refusal.value}"):
        return tr(f"import.why-{refusal.value}")
    return tr("import.why-other")


def _with_list(head: Sequence[str], lines: Sequence[str], tr: Texts) -> Html:
    """`head`, then as many of `lines` as fit one message, then how many did not."""
    shown = list(head)
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        tail = [tr("import.more", count=rest)] if rest else []
        if not fits("\n".join([*shown, line, *tail])):
            shown.append(tr("import.more", count=len(lines) - index))
            break
        shown.append(line)
    return Html("\n".join(shown))


def render_feed_import(report: FeedImport, limit: int, tr: Texts) -> Html:
    """Added / already there / refused, then each refused feed with its reason."""
    head: list[str] = [
        tr(
            "import.feeds-summary",
            added=tr("import.feeds-added", count=len(report.added)),
            already=tr("import.feeds-already", count=len(report.already)),
            refused=tr("import.feeds-refused", count=len(report.refused)),
        )
    ]
    if report.duplicates:
        head.append(tr("import.duplicates", count=report.duplicates))
    if report.pages:
        head.append(tr("import.pages", count=report.pages))
    if report.added:
        head.append(tr("import.feeds-next"))
    lines: list[str] = [
        tr("import.refused-line", url=clip(o.url, _URL_UNITS), reason=_reason(o, limit, tr))
        for o in report.refused
    ]
    if lines:
        head += ["", tr("import.refused-head")]
    return _with_list(head, lines, tr)


def _line_error(outcome: SubscribeOutcome, limit: int, tr: Texts) -> Html:
    if outcome.refusal == Refusal.LIMIT:
        return tr("import.subs-why-limit", limit=limit)
    if outcome.error is not None:
        return query_error(outcome.error, tr)
    return tr("qerr.empty")


def render_sub_import(results: Sequence[SubImport], limit: int, tr: Texts) -> Html:
    """Saved / already there / refused, then each refused line with its number and reason."""
    outcomes = [o for r in results for o in r.outcomes]
    saved = [o for o in outcomes if o.subscription is not None]
    paused = [o for r in results if r.line.paused for o in r.outcomes if o.subscription]
    duplicate = [o for o in outcomes if o.refusal == Refusal.DUPLICATE]
    failed = [
        (r.line.number, o)
        for r in results
        for o in r.outcomes
        if o.subscription is None and o.refusal != Refusal.DUPLICATE
    ]
    head: list[str] = [
        tr(
            "import.subs-summary",
            added=tr("import.subs-added", count=len(saved)),
            already=tr("import.subs-already", count=len(duplicate)),
            refused=tr("import.subs-refused", count=len(failed)),
        )
    ]
    if paused:
        head.append(tr("import.subs-paused", count=len(paused)))
    if saved:
        head.append(tr("import.subs-next"))
    lines: list[str] = [
        tr(
            "import.subs-line",
            line=number,
            query=clip(o.raw, _QUERY_UNITS),
            reason=_line_error(o, limit, tr),
        )
        for number, o in failed
    ]
    if lines:
        head += ["", tr("import.subs-refused-head")]
    return _with_list(head, lines, tr)


def render_opml_problem(error: OpmlError, max_outlines: int, tr: Texts) -> Html:
    return tr(f"import.opml-{error.problem.value}", max=max_outlines)
