"""What an alert about an item shows for the queries that matched it, without Telegram.

The delivery composer and `python -m bot preview` both build alerts through here, so a
preview is exactly what a chat receives; keeping this free of aiogram is what lets the
preview start in a fraction of a second.

Highlights are recomputed from the stored queries instead of being stored with the delivery:
the queue row stays small, and a summary always agrees with the analyzer that renders it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.alerts.render import AlertView
from bot.alerts.summary import summarize
from bot.matching import Analyzer, QueryError, parse_query
from bot.matching.text import item_text, text_offset
from bot.text import Span, merge_spans
from storage import Item

log = logging.getLogger(__name__)


def highlights_for(item: Item, queries: Sequence[str], analyzer: Analyzer) -> list[Span]:
    """Spans in `item.text` of the words that made `queries` match, sorted and merged.

    The item is matched as "title\\n\\ntext" (as the pipeline does); spans in the title are
    dropped because the summary is built from the text alone. A stored query that no longer
    parses (the language changed) contributes nothing instead of blocking the alert.
    """
    offset = text_offset(item.title)
    doc = analyzer.document(item_text(item.title, item.text))
    spans: set[Span] = set()
    for raw in queries:
        try:
            result = parse_query(raw, analyzer).match(doc)
        except QueryError as exc:
            log.warning("stored query %r no longer parses: %s", raw, exc)
            continue
        if result is None:
            continue
        for start, end in result.spans:
            if start >= offset:
                spans.add((start - offset, end - offset))
    return merge_spans(spans)


def alert_view(
    item: Item,
    queries: Sequence[str],
    analyzer: Analyzer,
    also: Sequence[tuple[str | None, str | None]] = (),
) -> AlertView:
    """What an alert about `item` shows for these matched queries (and, for a story, the
    other outlets' reports that joined it: (outlet, link))."""
    summary = summarize(item.text, highlights_for(item, queries, analyzer))
    return AlertView(
        title=item.title,
        link=item.link,
        source=item.source,
        published_at=item.published_at,
        summary=summary,
        matched_queries=tuple(queries),
        also=tuple(also),
    )
