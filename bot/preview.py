"""`python -m bot preview`: the alerts a feed would produce, without a token or a database.

It fetches through the bot's own fetcher (same limits), matches through the same subscription
index and renders through the same summary and message code as real alerts, so what a
newcomer sees here is what a chat would receive, and 20,000 queries cost what they cost the
bot. Nothing of aiogram is imported: preview starts in a fraction of a second.
"""

from __future__ import annotations

import asyncio
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.alerts import render_alert, render_marked
from bot.alerts.view import alert_view
from bot.feeds import Fetcher, FetchLimits, ParsedFeed, fetch_and_parse, make_session, parse_feed
from bot.matching import (
    Analyzer,
    CompiledQuery,
    QueryError,
    SubscriptionIndex,
    item_text,
    parse_query,
)
from bot.timezones import find_zone
from bot.urls import is_http_url
from storage import Item

FULLTEXT_MAX_CHARS = 20_000  # the bot's default cap of a page's text


class PreviewError(Exception):
    """A feed that could not be read: one line on stderr, exit code 1."""


@dataclass(frozen=True)
class PreviewAlert:
    query: str
    item: Item
    summary_text: str
    summary_html: str
    message_html: str
    message_plain: str  # matched words wrapped in the preview's marks

    def as_json(self) -> str:
        return json.dumps(
            {
                "query": self.query,
                "guid": self.item.guid,
                "title": self.item.title,
                "link": self.item.link,
                "source": self.item.source,
                "published_at": self.item.published_at.isoformat(),
                "summary": self.summary_text,
                "summary_html": self.summary_html,
                "message_html": self.message_html,
            },
            ensure_ascii=False,
        )


async def _fetch(url: str, limits: FetchLimits) -> ParsedFeed:
    async with make_session(limits) as session:
        result, parsed = await fetch_and_parse(Fetcher(session, limits), url)
    if parsed is None:
        raise PreviewError(f"cannot fetch {url}: {result.error or 'no content'}")
    return parsed


def load_feed(feed: str, limits: FetchLimits | None = None) -> ParsedFeed:
    now = datetime.now(UTC)
    if is_http_url(feed):
        parsed = asyncio.run(_fetch(feed, limits or FetchLimits()))
    else:
        path = Path(feed)
        try:
            body = path.read_bytes()
        except OSError as exc:
            raise PreviewError(f"cannot read {feed}: {exc.strerror or exc}") from exc
        parsed = parse_feed(body, url=path.resolve().as_uri(), content_type=None, fetched_at=now)
    if parsed.error is not None and not parsed.items:
        raise PreviewError(f"{feed} is not a usable feed: {parsed.error}")
    return parsed


# What stands for Telegram's bold in a terminal: bold where it can show, asterisks in a file.
TERMINAL_MARK = ("\033[1m", "\033[0m")
TEXT_MARK = ("**", "**")


def preview_alerts(
    parsed: ParsedFeed,
    queries: list[CompiledQuery],
    analyzer: Analyzer,
    tz: ZoneInfo,
    lang: str,
    mark: tuple[str, str] = TEXT_MARK,
) -> list[PreviewAlert]:
    """One alert per (item, matching query), in feed order then query order: preview never
    deduplicates (a query given twice gives two alerts)."""
    index = SubscriptionIndex()
    for position, query in enumerate(queries):
        index.add(position, query)
    alerts = []
    for n, entry in enumerate(parsed.items):
        item = Item(
            id=n,
            feed_id=0,
            guid=entry.guid,
            link=entry.link,
            title=entry.title,
            text=entry.text,
            published_at=entry.published_at,
            fetched_at=entry.published_at,
            source=parsed.title,
        )
        doc = analyzer.document(item_text(item.title, item.text))
        for position in sorted(index.match_ids(doc)):
            query = queries[position]
            view = alert_view(item, [query.raw], analyzer)
            alerts.append(
                PreviewAlert(
                    query=query.raw,
                    item=item,
                    summary_text=view.summary.text,
                    summary_html=view.summary.to_html(),
                    message_html=render_alert(view, tz=tz, lang=lang),
                    message_plain=render_marked(view, tz=tz, lang=lang, mark=mark),
                )
            )
    return alerts


def _with_full_text(
    parsed: ParsedFeed, queries: list[CompiledQuery], analyzer: Analyzer, as_json: bool
) -> ParsedFeed:
    """The items completed with their article pages; what that changed printed first."""
    from bot.fulltext.preview import complete_feed, read_pages

    pages = asyncio.run(read_pages(parsed, FetchLimits(), max_chars=FULLTEXT_MAX_CHARS))
    completed, reports = complete_feed(parsed, pages, queries, analyzer)
    for report in reports:
        print(report.as_json() if as_json else report.line())
    if not as_json:
        print()
    return completed


def read_queries(source: str) -> list[str]:
    """Queries from a file (`-`: stdin), one a line; blank lines and `#` comments are skipped."""
    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise PreviewError(f"cannot read {source}: {reason}") from exc
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def run_preview(
    *,
    feed: str,
    queries: list[str],
    as_json: bool,
    tz: str,
    lang: str,
    queries_file: str | None = None,
    full_text: bool = False,
) -> int:
    zone = find_zone(tz)
    if zone is None:
        print(f"unknown time zone {tz!r}", file=sys.stderr)
        return 2
    if queries_file is not None:
        try:
            queries = [*queries, *read_queries(queries_file)]
        except PreviewError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    analyzer = Analyzer()
    compiled = []
    for raw in queries:
        try:
            compiled.append(parse_query(raw, analyzer))
        except QueryError as exc:
            print(f"query {raw!r}: {exc}", file=sys.stderr)
            return 2
    try:
        parsed = load_feed(feed)
    except PreviewError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if full_text:
        parsed = _with_full_text(parsed, compiled, analyzer, as_json)
    mark = TERMINAL_MARK if sys.stdout.isatty() else TEXT_MARK
    alerts = preview_alerts(parsed, compiled, analyzer, zone, lang, mark)
    for alert in alerts:
        if as_json:
            print(alert.as_json())
        else:
            print(f"── {alert.query} ──")
            print(alert.message_plain)
            print()
    if not as_json:
        print(f"{len(alerts)} alert(s) from {len(parsed.items)} item(s)", file=sys.stderr)
    return 0
