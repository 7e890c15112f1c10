"""From a queued delivery to the exact message a chat receives.

Highlights are recomputed at send time from the stored queries instead of being stored with
the delivery: the queue row stays small, and a summary always agrees with the analyzer that
renders it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.alerts import AlertView, render_alert, render_plain, summarize
from bot.matching import Analyzer, QueryError, parse_query
from bot.matching.text import item_text, text_offset
from bot.text import Span, merge_spans
from bot.timezones import DEFAULT_ZONE, load_zone
from storage import Chat, Delivery, Item

log = logging.getLogger(__name__)

__all__ = [
    "Composed",
    "Composer",
    "KeyboardFactory",
    "alert_view",
    "chat_zone",
    "compose",
    "highlights_for",
]

# alert_keyboard(sub_ids, queries, lang) from bot/keyboards.py, injected to keep this package
# independent of the chat interface.
KeyboardFactory = Callable[[Sequence[int], Sequence[str], str], InlineKeyboardMarkup | None]


@dataclass(frozen=True)
class Composed:
    html: str
    plain: str  # the same alert without markup: the fallback when Telegram refuses the HTML
    keyboard: InlineKeyboardMarkup | None


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


class Composer(Protocol):
    """`compose`'s shape, so the worker can be handed another renderer (tests, previews)."""

    def __call__(
        self,
        delivery: Delivery,
        item: Item,
        chat: Chat,
        analyzer: Analyzer,
        *,
        default_timezone: str = ...,
        keyboard: KeyboardFactory | None = ...,
    ) -> Composed: ...


def chat_zone(chat: Chat, default: str) -> ZoneInfo:
    """The chat's time zone; a bad stored name falls back to the operator's default."""
    return load_zone(chat.timezone, default)


def alert_view(item: Item, queries: Sequence[str], analyzer: Analyzer) -> AlertView:
    """What an alert about `item` shows for these matched queries (also used by preview)."""
    summary = summarize(item.text, highlights_for(item, queries, analyzer))
    return AlertView(
        title=item.title,
        link=item.link,
        source=item.source,
        published_at=item.published_at,
        summary=summary,
        matched_queries=tuple(queries),
    )


def compose(
    delivery: Delivery,
    item: Item,
    chat: Chat,
    analyzer: Analyzer,
    *,
    default_timezone: str = DEFAULT_ZONE,
    keyboard: KeyboardFactory | None = None,
) -> Composed:
    view = alert_view(item, delivery.matched_queries, analyzer)
    tz = chat_zone(chat, default_timezone)
    markup = (
        keyboard(delivery.subscription_ids, delivery.matched_queries, chat.language)
        if keyboard is not None
        else None
    )
    return Composed(
        html=render_alert(view, tz=tz, lang=chat.language),
        plain=render_plain(view, tz=tz, lang=chat.language),
        keyboard=markup,
    )
