"""A chat's feeds: listing with health, adding its own (checked), removing or switching off.

A feed URL typed by a user is untrusted: it is refused before any request when it points at a
private or local address (unless ALLOW_PRIVATE_FEED_HOSTS), and it is fetched and parsed once
before it is saved, so a typo or an HTML page is reported now instead of failing silently later.

Checks are bounded (`FeedChecks`): one at a time per chat, a few at a time overall, parsed in
their own thread, so chats adding big feeds at once cannot exhaust memory or delay polling.
Every refusal has a kind (`FeedRefusal`) the handler turns into a sentence in the chat's
language; the technical reason stays in `reason` for logs.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.channels.names import channel_reference, feed_url, is_channel_feed
from bot.channels.page import NOT_PUBLIC
from bot.channels.preview import ChannelPreview
from bot.clock import Clock
from bot.config import Settings
from bot.feeds import (
    Fetcher,
    FetchLimits,
    FetchResult,
    ParsedFeed,
    ParsePool,
    SsrfGuard,
    fetch_and_parse,
    make_session,
)
from bot.urls import typed_http_url
from storage import ChatFeed, Feed, Repository

FeedLoader = Callable[[str], Awaitable[tuple[FetchResult, ParsedFeed | None]]]

MAX_URL = 2048


class FeedRefusal(StrEnum):
    INVALID_URL = "invalid_url"
    LIMIT = "limit"
    ALREADY = "already"
    BUSY = "busy"  # this chat is checking another feed right now
    FORBIDDEN = "forbidden"  # the address guard said no (private, loopback … address)
    UNREACHABLE = "unreachable"  # no DNS answer, connection refused, timeout, TLS failure
    HTTP_ERROR = "http_error"  # the server answered with an error status
    TOO_BIG = "too_big"
    NOT_A_FEED = "not_a_feed"
    EMPTY = "empty"
    CHANNEL_LINK = "channel_link"  # a t.me link that is no public channel (invitation, t.me/c/…)
    CHANNEL_PRIVATE = "channel_private"  # t.me shows no preview: private, off, or no such name
    CHANNEL_UNREADABLE = "channel_unreadable"  # the channel's page is not the page we know


@dataclass(frozen=True)
class AddFeedOutcome:
    url: str
    feed: Feed | None = None
    title: str | None = None
    items: int = 0
    refusal: FeedRefusal | None = None
    reason: str | None = None  # technical detail from the guard, fetcher or parser (English)
    status: int | None = None  # the HTTP status of an HTTP_ERROR


class FeedChecks:
    """Long-lived bounds on /addfeed checks: one per chat, `concurrent` overall, own parse pool.

    A check runs as a task of its own (see handlers/feeds.py); `stop` cancels those still
    running when the bot shuts down.
    """

    def __init__(self, *, concurrent: int = 3) -> None:
        self.pool = ParsePool(1, name="feed-check")
        self._checking: dict[int, str] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._concurrent = concurrent
        self._slots: asyncio.Semaphore | None = None

    def checking(self, chat_id: int) -> str | None:
        """The URL this chat is checking now, if any."""
        return self._checking.get(chat_id)

    @contextmanager
    def claim(self, chat_id: int, url: str) -> Iterator[bool]:
        """True (and held until the block ends) unless the chat is already checking a feed."""
        if chat_id in self._checking:
            yield False
            return
        self._checking[chat_id] = url
        try:
            yield True
        finally:
            self._checking.pop(chat_id, None)

    def spawn(self, chat_id: int, url: str, work: Coroutine[Any, Any, None]) -> bool:
        """Run `work` as this chat's one check; False (and `work` dropped) if one is running."""
        if chat_id in self._checking:
            work.close()
            return False
        self._checking[chat_id] = url
        task = asyncio.create_task(work, name=f"addfeed-{chat_id}")
        self._tasks.add(task)

        def done(finished: asyncio.Task[None]) -> None:
            self._tasks.discard(finished)
            self._checking.pop(chat_id, None)

        task.add_done_callback(done)
        return True

    @property
    def slots(self) -> asyncio.Semaphore:
        if self._slots is None:
            self._slots = asyncio.Semaphore(self._concurrent)
        return self._slots

    async def stop(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.pool.close()


def refusal_of(result: FetchResult) -> AddFeedOutcome:
    """Why a fetch failed, as a kind the user can read in their language."""
    error = result.error or "no response"
    reason = _reason(error)
    if error.startswith(NOT_PUBLIC):
        kind = FeedRefusal.CHANNEL_PRIVATE
    elif error.startswith("refused"):
        kind = FeedRefusal.FORBIDDEN
    elif error.startswith("body larger than"):
        kind = FeedRefusal.TOO_BIG
    elif result.status is not None:
        kind = FeedRefusal.HTTP_ERROR
    else:
        kind = FeedRefusal.UNREACHABLE
    return AddFeedOutcome(result.url, refusal=kind, reason=reason, status=result.status)


def clean_url(text: str) -> str | None:
    """The URL in /addfeed's argument, or None when it is not an http(s) URL."""
    url = typed_http_url(text.strip().strip("<>"))
    return url if url is not None and len(url) <= MAX_URL else None


def _not_read(url: str, error: str) -> FeedRefusal:
    """Why a fetched body was not taken: a channel's page has its own reasons."""
    if error.startswith(NOT_PUBLIC):
        return FeedRefusal.CHANNEL_PRIVATE
    return FeedRefusal.CHANNEL_UNREADABLE if is_channel_feed(url) else FeedRefusal.NOT_A_FEED


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
        checks: FeedChecks | None = None,
        channels: ChannelPreview | None = None,
    ) -> None:
        self._repo = repo
        self._max = max_per_chat
        self._guard = guard
        self._limits = limits
        self._clock = clock
        self._load = load or self._fetch
        self._checks = checks or FeedChecks()
        self._channels = channels or ChannelPreview()

    @classmethod
    def from_settings(
        cls, repo: Repository, settings: Settings, clock: Clock, checks: FeedChecks | None = None
    ) -> ChatFeeds:
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
            checks=checks,
            channels=ChannelPreview(settings.telegram_channel_preview_url),
        )

    async def _fetch(self, url: str) -> tuple[FetchResult, ParsedFeed | None]:
        if is_channel_feed(url):
            return await self._fetch_channel(url)
        async with make_session(self._limits, guard=self._guard) as session:
            fetcher = Fetcher(session, self._limits, guard=self._guard)
            return await fetch_and_parse(
                fetcher, url, fetched_at=self._clock(), pool=self._checks.pool
            )

    async def _fetch_channel(self, url: str) -> tuple[FetchResult, ParsedFeed | None]:
        """A channel's page, from the operator's preview base: no guard (the name is checked)."""
        async with make_session(self._limits) as session:
            result = await self._channels.fetch(Fetcher(session, self._limits), url)
        if not result.ok or result.body is None:
            return result, None
        return result, await self._checks.pool.parse(result, fetched_at=self._clock())

    async def for_chat(self, chat_id: int) -> list[ChatFeed]:
        return await self._repo.feeds.for_chat(chat_id)

    async def precheck(self, chat_id: int, text: str) -> AddFeedOutcome:
        """The instant checks (URL shape, already on, the chat's limit); refusal=None: go on."""
        reference = channel_reference(text)
        if reference is None:
            url = clean_url(text)
        elif reference.name is None:
            return AddFeedOutcome(text.strip(), refusal=FeedRefusal.CHANNEL_LINK)
        else:
            url = feed_url(reference.name)
        if url is None:
            return AddFeedOutcome(text.strip(), refusal=FeedRefusal.INVALID_URL)
        if self._checks.checking(chat_id) is not None:
            return AddFeedOutcome(url, refusal=FeedRefusal.BUSY)
        current = await self._repo.feeds.for_chat(chat_id)
        if any(cf.feed.url == url and cf.enabled for cf in current):
            return AddFeedOutcome(url, refusal=FeedRefusal.ALREADY)
        if await self._repo.feeds.own_count(chat_id) >= self._max:
            return AddFeedOutcome(url, refusal=FeedRefusal.LIMIT)
        return AddFeedOutcome(url)

    async def add(self, chat_id: int, text: str) -> AddFeedOutcome:
        """Check the feed (address, fetch, parse) and attach it to the chat if it is one."""
        first = await self.precheck(chat_id, text)
        if first.refusal is not None:
            return first
        url = first.url
        with self._checks.claim(chat_id, url) as claimed:
            if not claimed:
                return AddFeedOutcome(url, refusal=FeedRefusal.BUSY)
            return await self.check_and_add(chat_id, url)

    async def check_and_add(self, chat_id: int, url: str) -> AddFeedOutcome:
        """The slow part of `add` for a URL `precheck` let through (the caller holds the claim)."""
        async with self._checks.slots:
            return await self._check_and_add(chat_id, url)

    async def _check_and_add(self, chat_id: int, url: str) -> AddFeedOutcome:
        problem = None if is_channel_feed(url) else await self._guard.check(url)
        if problem is not None:
            return refusal_of(FetchResult(url=url, status=None, body=None, error=problem))
        result, parsed = await self._load(url)
        if result.error is not None or parsed is None:
            return refusal_of(result)
        if parsed.error is not None:
            return AddFeedOutcome(url, refusal=_not_read(url, parsed.error), reason=parsed.error)
        if not parsed.items and not is_channel_feed(url):  # a channel may be new and quiet
            return AddFeedOutcome(url, refusal=FeedRefusal.EMPTY)
        feed = await self._repo.feeds.add_for_chat(chat_id, url, parsed.title, self._clock())
        return AddFeedOutcome(url, feed=feed, title=parsed.title or url, items=len(parsed.items))

    async def remove(self, chat_id: int, feed_id: int) -> bool:
        """Delete the chat's own feed; False when it is not (or no longer) the chat's own."""
        return await self._repo.feeds.remove_for_chat(chat_id, feed_id)

    async def set_enabled(self, chat_id: int, feed_id: int, enabled: bool) -> bool:
        """Switch a feed the chat sees on or off; False when the chat does not see it."""
        if not any(cf.feed.id == feed_id for cf in await self._repo.feeds.for_chat(chat_id)):
            return False
        await self._repo.feeds.set_enabled_for_chat(chat_id, feed_id, enabled, self._clock())
        return True
