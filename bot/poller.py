"""The feed scheduler: one task that fetches each feed when it falls due.

Every feed carries its own next fetch time (with jitter, so feeds added together do not stay
in lock-step), failures back off per feed, and a bounded number of fetches run at once so one
slow host cannot starve the rest. Old items are pruned elsewhere (bot/retention.py).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, utc_now
from bot.feeds import Fetcher, FetchResult, ParsedFeed, ParsePool, next_delay
from bot.pipeline import Ingestor
from bot.services import FetchNow
from storage import Feed, NewItem, Repository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PollOutcome:
    feed_id: int
    new_items: int = 0
    deliveries: int = 0
    not_modified: bool = False
    error: str | None = None


def new_items(parsed: ParsedFeed) -> list[NewItem]:
    """The parsed entries as storage takes them (the author is not kept)."""
    return [
        NewItem(
            guid=i.guid,
            link=i.link,
            canonical_link=i.canonical_link,
            title=i.title,
            text=i.text,
            published_at=i.published_at,
        )
        for i in parsed.items
    ]


class FeedPoller:
    def __init__(
        self,
        repo: Repository,
        ingestor: Ingestor,
        *,
        for_defaults: Fetcher,
        for_chat_feeds: Fetcher,
        interval: float,
        concurrency: int,
        on_deliveries: Callable[[], None] = lambda: None,
        clock: Clock = utc_now,
        rng: random.Random | None = None,
        parsing: ParsePool | None = None,
        fetch_now: FetchNow | None = None,
    ) -> None:
        self._repo = repo
        self._ingestor = ingestor
        self._for_defaults = for_defaults
        self._for_chat_feeds = for_chat_feeds
        self._interval = interval
        self._slots = asyncio.Semaphore(concurrency)
        self._concurrency = concurrency
        self._on_deliveries = on_deliveries
        self._clock = clock
        self._rng = rng or random.Random()
        # One parse at a time, in the poller's own thread: feedparser holds the GIL, and every
        # extra parsing thread takes a share of it away from the event loop, which is what
        # handlers need to answer; and Python's default pool stays free for DNS lookups.
        self._owns_parsing = parsing is None
        self._parsing = parsing or ParsePool(1, name="feed-parse")
        self._wake = fetch_now or FetchNow()
        self._stopping = False
        self._in_flight: dict[int, asyncio.Task[PollOutcome]] = {}

    def poke(self) -> None:
        """A feed was added or changed: look at the schedule again now."""
        self._wake()

    def _delay(self, failures: int, retry_after: float | None = None) -> timedelta:
        seconds = next_delay(failures, base=self._interval, retry_after=retry_after, rng=self._rng)
        return timedelta(seconds=seconds)

    async def poll_feed(self, feed: Feed) -> PollOutcome:
        """Fetch, parse and ingest one feed; every failure ends up in the feed's status."""
        fetcher = self._for_defaults if feed.is_default else self._for_chat_feeds
        result = await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        now = self._clock()
        if result.not_modified:
            await self._repo.feeds.record_not_modified(
                feed.id, now=now, next_fetch_at=now + self._delay(0)
            )
            return PollOutcome(feed.id, not_modified=True)
        if not result.ok or result.body is None:
            return await self._fail(feed, result.error or "empty response", now, result)
        parsed = await self._parsing.parse(result, fetched_at=now)
        if parsed.error is not None and not parsed.items:
            return await self._fail(feed, parsed.error, now, result)
        ingested = await self._ingestor.ingest(feed.id, new_items(parsed), now, alert=feed.primed)
        await self._repo.feeds.record_success(
            feed.id,
            title=parsed.title,
            etag=result.etag,
            last_modified=result.last_modified,
            now=now,
            next_fetch_at=now + self._delay(0),
        )
        if ingested.deliveries:
            self._on_deliveries()
        return PollOutcome(feed.id, len(ingested.new_items), ingested.deliveries)

    async def _fail(
        self, feed: Feed, error: str, now: datetime, result: FetchResult
    ) -> PollOutcome:
        failures = feed.consecutive_failures + 1
        await self._repo.feeds.record_failure(
            feed.id,
            error=error,
            now=now,
            next_fetch_at=now + self._delay(failures, result.retry_after),
        )
        log.warning("feed %s failed (%d in a row): %s", feed.url, failures, error)
        return PollOutcome(feed.id, error=error)

    async def _poll_in_slot(self, feed: Feed) -> PollOutcome:
        async with self._slots:
            try:
                return await self.poll_feed(feed)
            except Exception as exc:  # a bug must not kill the scheduler: record and move on
                log.exception("polling %s crashed", feed.url)
                now = self._clock()
                failures = feed.consecutive_failures + 1
                await self._repo.feeds.record_failure(
                    feed.id,
                    error=f"internal error: {type(exc).__name__}",
                    now=now,
                    next_fetch_at=now + self._delay(failures),
                )
                return PollOutcome(feed.id, error=str(exc))
            finally:
                self._in_flight.pop(feed.id, None)

    async def poll_due(self) -> list[asyncio.Task[PollOutcome]]:
        """Start fetches for every due feed not already in flight; returns the new tasks."""
        now = self._clock()
        started = []
        for feed in await self._repo.feeds.due(now, limit=self._concurrency * 4):
            if feed.id in self._in_flight:
                continue
            task = asyncio.create_task(self._poll_in_slot(feed), name=f"poll-{feed.id}")
            self._in_flight[feed.id] = task
            started.append(task)
        return started

    async def run(self) -> None:
        while not self._stopping:
            await self.poll_due()
            next_at = await self._repo.feeds.next_due_at()
            wait = self._interval
            if next_at is not None:
                wait = max(0.05, min(wait, (next_at - self._clock()).total_seconds()))
            if self._in_flight:
                wait = min(wait, 1.0)  # re-check soon: finished fetches reschedule their feed
            self._wake.clear()
            await self._wake.wait(wait)

    async def stop(self) -> None:
        """Stop scheduling; in-flight fetches are cancelled (their feeds are simply re-fetched)."""
        self._stopping = True
        self._wake()
        tasks = list(self._in_flight.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._owns_parsing:
            self._parsing.close()
