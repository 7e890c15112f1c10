"""From a queued delivery to the exact message a chat receives.

The alert itself (summary, highlights) comes from `bot.alerts.view`, shared with preview;
this module adds what only Telegram needs, the keyboard.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from bot.alerts import render_alert, render_plain
from bot.alerts.view import alert_view
from bot.matching import Analyzer
from bot.timezones import DEFAULT_ZONE, load_zone
from storage import Chat, Delivery, Item, StorySource

__all__ = [
    "Composed",
    "Composer",
    "KeyboardFactory",
    "chat_zone",
    "compose",
]

# alert_keyboard(alert, lang, story) from bot/keyboards.py, injected to keep this package
# independent of the chat interface: the delivery's id (what the tuning buttons act on), the
# chat's language, and whether the item belongs to a story (which can then be muted).
KeyboardFactory = Callable[[int, str, bool], InlineKeyboardMarkup | None]


@dataclass(frozen=True)
class Composed:
    html: str
    plain: str  # the same alert without markup: the fallback when Telegram refuses the HTML
    keyboard: InlineKeyboardMarkup | None


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
        sources: Sequence[StorySource] = ...,
    ) -> Composed: ...


def chat_zone(chat: Chat, default: str) -> ZoneInfo:
    """The chat's time zone; a bad stored name falls back to the operator's default."""
    return load_zone(chat.timezone, default)


def compose(
    delivery: Delivery,
    item: Item,
    chat: Chat,
    analyzer: Analyzer,
    *,
    default_timezone: str = DEFAULT_ZONE,
    keyboard: KeyboardFactory | None = None,
    sources: Sequence[StorySource] = (),
) -> Composed:
    """The alert; `sources` are the story's later reports that joined it for this chat: the
    alert lists their outlets, and shows every subscription that fired on any report of the
    story (the buttons' menus offer each of them, read from the delivery when pressed)."""
    queries = list(delivery.matched_queries)
    for source in sources:
        queries += [q for q in source.matched_queries if q not in queries]
    also = [(s.source, s.link) for s in sources]
    view = alert_view(item, queries, analyzer, also)
    tz = chat_zone(chat, default_timezone)
    markup = (
        keyboard(delivery.id, chat.language, item.story is not None)
        if keyboard is not None
        else None
    )
    return Composed(
        html=render_alert(view, tz=tz, lang=chat.language),
        plain=render_plain(view, tz=tz, lang=chat.language),
        keyboard=markup,
    )
