"""Feed fetching and parsing: pure building blocks for the poller and ``preview``.

Nothing here touches storage; the poller owns scheduling and persistence.
"""

from __future__ import annotations

from contextlib import closing
from datetime import UTC, datetime

from bot.feeds.backoff import next_delay
from bot.feeds.fetcher import Fetcher, FetchLimits, FetchResult, make_session, parse_retry_after
from bot.feeds.html_text import html_to_text
from bot.feeds.links import canonical_link
from bot.feeds.parser import FeedItem, ParsedFeed, parse_feed
from bot.feeds.pool import ParsePool
from bot.feeds.ssrf import SsrfGuard, SsrfRefused, SsrfResolver

__all__ = [
    "FeedItem",
    "FetchLimits",
    "FetchResult",
    "Fetcher",
    "ParsePool",
    "ParsedFeed",
    "SsrfGuard",
    "SsrfRefused",
    "SsrfResolver",
    "canonical_link",
    "fetch_and_parse",
    "html_to_text",
    "make_session",
    "next_delay",
    "parse_feed",
    "parse_retry_after",
]


async def fetch_and_parse(
    fetcher: Fetcher,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    fetched_at: datetime | None = None,
    pool: ParsePool | None = None,
) -> tuple[FetchResult, ParsedFeed | None]:
    """Fetch ``url`` and parse it in a worker thread so a big feed never blocks the loop.

    Long-lived callers pass their bounded ``pool``; without one (``preview``, a one-off) the
    parse gets a thread of its own for this call.

    The ParsedFeed is None when there is nothing to parse: a failed fetch (see
    ``FetchResult.error``) or a 304 (``FetchResult.not_modified``), which costs no parsing.
    """
    result = await fetcher.fetch(url, etag=etag, last_modified=last_modified)
    if not result.ok or result.not_modified or result.body is None:
        return result, None
    when = fetched_at or datetime.now(UTC)
    if pool is not None:
        return result, await pool.parse(result, fetched_at=when)
    with closing(ParsePool(1, name="feed-parse-once", processes=False)) as once:
        return result, await once.parse(result, fetched_at=when)
