"""/recent pages: a chat's delivered alerts or a search's finds, as long as Telegram allows.

Each line is a story (`bot.search`): one report's title and time, and how many reports the
story has when it has more than one.

A search page's buttons carry the stored search's id (`Page.ref`), never its query: the
query is not read back from the page's text.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import RecentKind
from bot.i18n import Html, Texts
from bot.keyboards import pages_keyboard
from bot.search import PER_PAGE, Page
from bot.views.fit import clip, fits
from bot.views.parts import link, local_time
from storage import Chat

__all__ = ["render_delivered", "render_search"]

# Title and source lengths (UTF-16 units) tried in turn until a page fits one message.
_CLIPS = ((200, 60), (140, 40), (90, 30), (60, 20), (30, 12))


def _items(page: Page, chat: Chat, tr: Texts, title_units: int, source_units: int) -> list[str]:
    lines: list[str] = []
    for i, found in enumerate(page.found):
        item = found.item
        source = clip(item.source, source_units) + " · " if item.source else ""
        lines.append(
            tr(
                "recent.item",
                n=page.page * PER_PAGE + i + 1,
                title=link(clip(item.title, title_units), item.link),
                source=source,
                when=local_time(item.published_at, chat.timezone),
                sources=_sources(found.sources, tr),
            )
        )
    return lines


def _sources(count: int, tr: Texts) -> str:
    """« · 3 источника» for a story told by several reports; nothing for a single one."""
    return " · " + tr.plain("recent.sources", count=count) if count > 1 else ""


def _fitted(head: Sequence[str], page: Page, chat: Chat, tr: Texts, tail: Sequence[str]) -> Html:
    """The page with titles as long as Telegram's 4,096 UTF-16 units and 100 entities allow."""
    text = ""
    for title_units, source_units in _CLIPS:
        items = _items(page, chat, tr, title_units, source_units)
        text = "\n\n".join([*head, *items, *tail])
        if fits(text):
            break
    return Html(text)


def render_delivered(
    page: Page, chat: Chat, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    if not page.found and page.page == 0:
        return tr("recent.delivered_empty"), None
    text = _fitted([tr("recent.delivered_header", page=page.page + 1)], page, chat, tr, [])
    markup = pages_keyboard(RecentKind.DELIVERED, page.page, page.has_more, tr)
    return text, markup


def render_search(
    query: str, page: Page, chat: Chat, days: int, tr: Texts
) -> tuple[Html, InlineKeyboardMarkup | None]:
    """A search's page; its buttons page through the stored search `page.ref`."""
    if not page.found and page.page == 0:
        text = tr("recent.search_empty", query=query, days=days)
        if page.truncated:
            text = Html(text + "\n" + tr("recent.scan_note", scanned=page.scanned))
        return text, None
    header = tr("recent.search_header", query=query, days=days, page=page.page + 1)
    tail = [tr("recent.scan_note", scanned=page.scanned)] if page.truncated else []
    markup = pages_keyboard(RecentKind.SEARCH, page.page, page.has_more, tr, ref=page.ref)
    return _fitted([header], page, chat, tr, tail), markup
