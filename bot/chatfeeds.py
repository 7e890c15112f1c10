"""A chat's feeds: listing with health, adding its own (checked), removing or switching off.

A feed URL typed by a user is untrusted: it is refused before any request when it points at a
private or local address (unless ALLOW_PRIVATE_FEED_HOSTS), and it is fetched and parsed once
before it is saved, so a typo or an HTML page is reported now instead of failing silently later.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.clock import Clock
from bot.config import Settings
from bot.feeds import (
    Fetcher,
    FetchLimits,
    FetchResult,
    ParsedFeed,
    SsrfGuard,
    fetch_and_parse,
    make_session,
)
from storage import ChatFeed, Feed, Repository

FeedLoader = Callable[[str], Awaitable[tuple[FetchResult, ParsedFeed | None]]]

_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
MAX_URL = 2048


class FeedRefusal(StrEnum):
    INVALID_URL = "invalid_url"
    LIMIT = "limit"
    ALREADY = "already"
    REFUSED = "refused"  # the address guard said no
    FETCH_FAILED = "fetch_failed"
    NOT_A_FEED = "not_a_feed"
    EMPTY = "empty"


@dataclass(frozen=True)
class AddFeedOutcome:
    url: str
    feed: Feed | None = None
    title: str | None = None
    items: int = 0
    refusal: FeedRefusal | None = None
    reason: str | None = None  # technical detail from the guard, fetcher or parser (English)


def clean_url(text: str) -> str | None:
    """The URL in /addfeed's argument, or None when it is not an http(s) URL."""
    url = text.strip().strip("<>")
    if not url or len(url) > MAX_URL or _URL.match(url) is None:
        return None
    return url


def _reason(text: str) -> str:
    return text.removeprefix("refused: ").strip()


class ChatFeeds:
    def __init__(
        self,
        repo: Repository,
        *,
        max_per_chat: int,
        guard: SsrfGuard,
        limits: FetchLimits,
        clock: Clock,
        load: FeedLoader | None = None,
    ) -> None:
        self._repo = repo
        self._max = max_per_chat
        self._guard = guard
        self._limits = limits
        self._clock = clock
        self._load = load or self._fetch

    @classmethod
    def from_settings(cls, repo: Repository, settings: Settings, clock: Clock) -> ChatFeeds:
        limits = FetchLimits(
            connect_timeout=settings.fetch_connect_timeout,
            total_timeout=min(settings.fetch_timeout, 20.0),  # someone is waiting for the reply
            max_bytes=settings.fetch_max_bytes,
        )
        return cls(
            repo,
            max_per_chat=settings.max_feeds_per_chat,
            guard=SsrfGuard(allow_private=settings.allow_private_feed_hosts),
            limits=limits,
            clock=clock,
        )

    async def _fetch(self, url: str) -> tuple[FetchResult, ParsedFeed | None]:
        async with make_session(self._limits, guard=self._guard) as session:
            fetcher = Fetcher(session, self._limits, guard=self._guard)
            return await fetch_and_parse(fetcher, url, fetched_at=self._clock())

    async def for_chat(self, chat_id: int) -> list[ChatFeed]:
        return await self._repo.feeds.for_chat(chat_id)

    async def add(self, chat_id: int, text: str) -> AddFeedOutcome:
        url = clean_url(text)
        if url is None:
            return AddFeedOutcome(text.strip(), refusal=FeedRefusal.INVALID_URL)
        current = await self._repo.feeds.for_chat(chat_id)
        if any(cf.feed.url == url and cf.enabled for cf in current):
            return AddFeedOutcome(url, refusal=FeedRefusal.ALREADY)
        if await self._repo.feeds.own_count(chat_id) >= self._max:
            return AddFeedOutcome(url, refusal=FeedRefusal.LIMIT)
        problem = await self._guard.check(url)
        if problem is not None:
            return AddFeedOutcome(url, refusal=FeedRefusal.REFUSED, reason=_reason(problem))
        result, parsed = await self._load(url)
        if result.error is not None or parsed is None:
            reason = _reason(result.error or "no response")
            refusal = FeedRefusal.REFUSED if result.error and result.error.startswith(
                "refused"
            ) else FeedRefusal.FETCH_FAILED
            return AddFeedOutcome(url, refusal=refusal, reason=reason)
        if parsed.error is not None:
            return AddFeedOutcome(url, refusal=FeedRefusal.NOT_A_FEED, reason=parsed.error)
        if not parsed.items:
            return AddFeedOutcome(url, refusal=FeedRefusal.EMPTY)
        feed = await self._repo.feeds.add_for_chat(chat_id, url, parsed.title, self._clock())
        return AddFeedOutcome(
            url, feed=feed, title=parsed.title or url, items=len(parsed.items)
        )

    async def remove(self, chat_id: int, feed_id: int) -> bool:
        """Delete the chat's own feed; False when it is not (or no longer) the chat's own."""
        return await self._repo.feeds.remove_for_chat(chat_id, feed_id)

    async def set_enabled(self, chat_id: int, feed_id: int, enabled: bool) -> bool:
        """Switch a feed the chat sees on or off; False when the chat does not see it."""
        if not any(cf.feed.id == feed_id for cf in await self._repo.feeds.for_chat(chat_id)):
            return False
        await self._repo.feeds.set_enabled_for_chat(chat_id, feed_id, enabled, self._clock())
        return True
