"""The alert message as the chat sees it, in Telegram HTML and as a plain-text fallback.

Both renderings are built from the same plain parts, so the HTML's visible text is exactly the
plain text: its length can be measured without parsing HTML, and the plain fallback says the
same thing when Telegram refuses the markup. Everything that came from a feed is escaped; the only
tags are <b> and <a href> with an http(s) link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.alerts.html import escape, escape_attr, safe_link, sanitize
from bot.alerts.summary import Summary
from bot.alerts.texts import held_back_text, more_text, text_for
from bot.text import utf16_len

__all__ = [
    "MAX_MESSAGE_UTF16",
    "MAX_QUERIES_CHARS",
    "MAX_SOURCE_CHARS",
    "MAX_TITLE_CHARS",
    "AlertView",
    "render_alert",
    "render_held_back",
    "render_plain",
]

MAX_MESSAGE_UTF16 = 4096  # Telegram's limit on a message's text after entity parsing
# Caps on feed-controlled lines, counted like Telegram counts (UTF-16 units), so that the summary
# and the subscriptions always keep room, whatever the feed sends.
MAX_TITLE_CHARS = 300
MAX_SOURCE_CHARS = 100
MAX_QUERIES_CHARS = 1000  # a chat with hundreds of matching subscriptions still gets its summary
# «Также:» names at most this many other outlets of the story, each cut to MAX_ALSO_CHARS; the
# rest are a count («+2»): the line stays one short line and a few entities whatever joins.
MAX_ALSO_NAMED = 3
MAX_ALSO_CHARS = 40
BELL = "🔔"
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class AlertView:
    """What one alert shows: one item for one chat, with every subscription of it that matched."""

    title: str
    link: str | None
    source: str | None
    published_at: datetime  # UTC; a naive value is taken as UTC
    summary: Summary
    matched_queries: Sequence[str]
    held_back: int = 0
    # Other outlets' reports of the same story that joined this alert: (outlet, link), in
    # publication order; one outlet may appear more than once (re-published under a new title).
    also: Sequence[tuple[str | None, str | None]] = ()


@dataclass(frozen=True)
class _Also:
    """The «Также:» line: the label, named outlets with their links, and how many more."""

    label: str
    named: tuple[tuple[str, str | None], ...]
    more: str | None

    def plain(self) -> str:
        names = [name for name, _ in self.named] + ([self.more] if self.more else [])
        return f"{self.label} {', '.join(names)}"

    def html(self) -> str:
        names = [
            f'<a href="{escape_attr(link)}">{escape(name)}</a>' if link else escape(name)
            for name, link in self.named
        ] + ([escape(self.more)] if self.more else [])
        return f"{escape(self.label)} {', '.join(names)}"


@dataclass(frozen=True)
class _Parts:
    """The message's pieces as plain text, already cleaned and cut to fit."""

    title: str
    meta: str
    summary: Summary
    queries: str
    link: str | None
    held: str | None
    also: _Also | None = None

    def lines(
        self,
        head: tuple[str, str, str],
        summary: str,
        queries: str,
        link: str | None,
        held: str | None,
    ) -> str:
        blocks = ["\n".join(line for line in head if line)]
        if self.summary.text:
            blocks.append(summary)
        tail = [line for line in (queries, link, held) if line]
        if tail:
            blocks.append("\n".join(tail))
        return "\n\n".join(blocks)

    def plain(self, mark: tuple[str, str] = ("", "")) -> str:
        queries = f"{BELL} {self.queries}" if self.queries else ""
        summary = self.summary.marked(*mark)
        also = self.also.plain() if self.also else ""
        return self.lines((self.title, self.meta, also), summary, queries, self.link, self.held)

    def html(self) -> str:
        title = escape(self.title)
        if self.link:
            title = f'<a href="{escape_attr(self.link)}">{title}</a>'
        queries = f"{BELL} {escape(self.queries)}" if self.queries else ""
        link = escape(self.link) if self.link else None
        held = escape(self.held) if self.held else None
        head = (f"<b>{title}</b>", escape(self.meta), self.also.html() if self.also else "")
        return self.lines(head, self.summary.to_html(), queries, link, held)


def render_alert(view: AlertView, *, tz: ZoneInfo, lang: str = "ru") -> str:
    """Telegram HTML, at most 4096 UTF-16 code units of visible text, whatever the feed sent."""
    return _fit(_parts(view, tz, lang)).html()


def render_plain(view: AlertView, *, tz: ZoneInfo, lang: str = "ru") -> str:
    """The same alert without markup, for when Telegram refuses to parse the HTML one."""
    return _fit(_parts(view, tz, lang)).plain()


def render_marked(view: AlertView, *, tz: ZoneInfo, lang: str, mark: tuple[str, str]) -> str:
    """Plain text with the matched words wrapped in `mark`, for a terminal (preview)."""
    return _fit(_parts(view, tz, lang)).plain(mark)


def render_held_back(count: int, lang: str) -> str:
    """The one message that stands for alerts held back by the per-chat flood guard."""
    return escape(held_back_text(count, lang))


def _parts(view: AlertView, tz: ZoneInfo, lang: str) -> _Parts:
    title = _shorten(_one_line(view.title), MAX_TITLE_CHARS) or text_for(lang, "untitled")
    source = _shorten(_one_line(view.source or ""), MAX_SOURCE_CHARS)
    when = _local_time(view.published_at, tz)
    queries = ", ".join(dict.fromkeys(q for q in map(_one_line, view.matched_queries) if q))
    queries = _shorten(queries, MAX_QUERIES_CHARS)
    summary = Summary(sanitize(view.summary.text), view.summary.marks)
    return _Parts(
        title=title,
        meta=f"{source} · {when}" if source else when,
        summary=summary,
        queries=queries,
        link=safe_link(view.link),
        held=_shorten(held_back_text(view.held_back, lang), 100) if view.held_back > 0 else None,
        also=_also(view.also, lang),
    )


def _also(sources: Sequence[tuple[str | None, str | None]], lang: str) -> _Also | None:
    """Each outlet once (its first report's link), the first MAX_ALSO_NAMED by name."""
    outlets: dict[str, str | None] = {}
    for name, link in sources:
        outlets.setdefault(_one_line(name or ""), safe_link(link))
    if not outlets:
        return None
    unnamed = text_for(lang, "also_unnamed")
    named = tuple(
        (_shorten(name, MAX_ALSO_CHARS) or unnamed, link)
        for name, link in tuple(outlets.items())[:MAX_ALSO_NAMED]
    )
    rest = len(outlets) - len(named)
    return _Also(
        label=text_for(lang, "also"),
        named=named,
        more=more_text(rest, lang) if rest > 0 else None,
    )


def _fit(parts: _Parts) -> _Parts:
    """Trim the summary, then the query list, then the title until the message fits."""
    over = utf16_len(parts.plain()) - MAX_MESSAGE_UTF16
    if over > 0:
        keep = max(utf16_len(parts.summary.text) - over, 0)
        parts = replace(parts, summary=parts.summary.shortened(keep))
        over = utf16_len(parts.plain()) - MAX_MESSAGE_UTF16
    if over > 0:
        keep = max(utf16_len(parts.queries) - over, 0)
        parts = replace(parts, queries=_shorten(parts.queries, keep))
        over = utf16_len(parts.plain()) - MAX_MESSAGE_UTF16
    if over > 0:  # unreachable with the caps above; kept so no input can break the limit
        keep = max(utf16_len(parts.title) - over, 1)
        parts = replace(parts, title=_shorten(parts.title, keep), link=None)
    return parts


def _one_line(text: str) -> str:
    return _WHITESPACE.sub(" ", sanitize(text)).strip()


def _shorten(text: str, max_units: int) -> str:
    """The summary's cut (`Summary.shortened`: at a word, no dangling comma, «…»); nothing
    rather than a lone «…»."""
    if utf16_len(text) <= max_units:
        return text
    if max_units < 2:
        return ""
    return Summary(text).shortened(max_units).text


def _local_time(moment: datetime, tz: ZoneInfo) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # Year 9999 cannot move east of UTC: such a time is shown as given.
    with suppress(OverflowError, ValueError):
        moment = moment.astimezone(tz)
    return moment.strftime("%d.%m.%Y %H:%M")
