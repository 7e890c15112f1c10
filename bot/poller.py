"""The feed scheduler: one task that fetches each feed when it falls due.

Every feed carries its own next fetch time (with jitter, so feeds added together do not stay
in lock-step), chosen by its own publication rhythm (bot/schedule.py); failures back off per
feed, and a bounded number of fetches run at once, at most ``per_host`` to one host, so one
slow host cannot starve the rest nor be hammered. Old items are pruned elsewhere
(bot/retention.py).

A due feed is claimed before it is fetched (storage/feeds.py `claim_due`): several processes
on one PostgreSQL database share the feeds that way, each feed fetched by one of them at a
time. The claim ends when the fetch is recorded; `claim` bounds it if the process dies first.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from bot.channels.preview import ChannelPreview
from bot.clock import Clock, utc_now
from bot.feeds import Fetcher, FetchResult, ParsedFeed, ParsePool, next_delay
from bot.metrics import Metrics
from bot.pipeline import Ingestor
from bot.schedule import (
    Plan,
    Reason,
    Rhythm,
    SchedulePolicy,
    feed_ttl,
    first_seen,
    learn,
    plan,
)
from bot.services import FetchNow
from storage import Feed, Item, NewItem, Repository
from storage.models import PollSchedule

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


def undated_seen(
    feed: Feed, parsed: ParsedFeed, stored: Sequence[Item], now: datetime
) -> list[datetime] | None:
    """When this poll's new undated items were first seen (the parser stamps them with the
    fetch time): a feed without dates learns its rhythm from them. None on the first fetch,
    where everything listed is new."""
    if not feed.primed:
        return None
    new = {i.guid for i in stored}
    count = sum(1 for i in parsed.items if i.guid in new and i.published_at >= now)
    return first_seen(count, feed.last_success_at, now)


def stored_rhythm(feed: Feed) -> Rhythm:
    kept = feed.schedule
    return Rhythm() if kept is None else Rhythm(kept.rate_items, kept.rate_since, kept.rate_latest)


def to_stored(chosen: Plan, rhythm: Rhythm, ttl: float | None) -> PollSchedule:
    return PollSchedule(
        interval=chosen.interval,
        reason=chosen.reason.value,
        rate_items=rhythm.items,
        rate_since=rhythm.since,
        ttl_seconds=ttl,
        rate_latest=rhythm.latest,
    )


def _ids(feed: Feed, item: Item | None = None) -> dict[str, int]:
    """The ids a log line carries (fields of their own with LOG_FORMAT=json)."""
    return {"feed_id": feed.id} if item is None else {"feed_id": feed.id, "item_id": item.id}


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
        policy: SchedulePolicy | None = None,
        per_host: int = 2,
        channels: ChannelPreview | None = None,
        metrics: Metrics | None = None,
        claim: timedelta = timedelta(minutes=5),
    ) -> None:
        self._repo = repo
        self._claim = claim
        self._ingestor = ingestor
        self._for_defaults = for_defaults
        self._for_chat_feeds = for_chat_feeds
        self._interval = interval
        self._policy = policy or SchedulePolicy(base=interval)
        self._slots = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._channels = channels or ChannelPreview()  # where channels' pages are read
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._metrics = metrics or Metrics()  # fetches, failures by reason
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

    def _schedule(
        self, feed: Feed, now: datetime, rhythm: Rhythm | None = None, ttl: float | None = None
    ) -> tuple[timedelta, PollSchedule]:
        """A healthy feed's next delay (jittered) and the schedule state to keep."""
        kept = feed.schedule
        if rhythm is None:
            rhythm = stored_rhythm(feed)
            ttl = None if kept is None else kept.ttl_seconds
        chosen = plan(rhythm, now, self._policy, ttl)
        seconds = next_delay(0, base=chosen.interval, rng=self._rng)
        return timedelta(seconds=seconds), to_stored(chosen, rhythm, ttl)

    def _backoff(
        self, feed: Feed, now: datetime, failures: int, retry_after: float | None = None
    ) -> tuple[timedelta, PollSchedule]:
        """Failing: today's backoff from POLL_INTERVAL_SECONDS, Retry-After as a floor; never
        more often than the feed is polled when healthy."""
        _, healthy = self._schedule(feed, now)
        base = max(self._policy.base, healthy.interval)
        seconds = next_delay(failures, base=base, retry_after=retry_after, rng=self._rng)
        backoff = Plan(seconds, Reason.BACKOFF)
        return timedelta(seconds=seconds), to_stored(
            backoff, stored_rhythm(feed), healthy.ttl_seconds
        )

    async def poll_feed(self, feed: Feed) -> PollOutcome:
        """Fetch, parse and ingest one feed; every failure ends up in the feed's status."""
        fetcher = self._for_defaults if feed.is_default else self._for_chat_feeds
        # The slots cover the fetch and the parse only: the ingest may wait for article pages
        # (bot/fulltext, bounded by FULLTEXT_TIMEOUT_SECONDS), which must not hold up other feeds.
        async with self._host_slots(feed.url), self._slots:
            result = await self._channels.fetch(  # a channel's page: the trusted fetcher
                fetcher,
                feed.url,
                trusted=self._for_defaults,
                etag=feed.etag,
                last_modified=feed.last_modified,
            )
            now = self._clock()
            parsed = None
            if result.ok and not result.not_modified and result.body is not None:
                parsed = await self._parsing.parse(result, fetched_at=now)
        self._metrics.feed_fetches.inc()
        if result.not_modified:
            delay, schedule = self._schedule(feed, now)
            await self._repo.feeds.record_not_modified(
                feed.id, now=now, next_fetch_at=now + delay, schedule=schedule
            )
            return PollOutcome(feed.id, not_modified=True)
        if not result.ok or result.body is None or parsed is None:
            return await self._fail(feed, result.error or "empty response", now, result)
        if parsed.error is not None and not parsed.items:
            return await self._fail(feed, parsed.error, now, result)
        ingested = await self._ingestor.ingest(
            feed.id,
            new_items(parsed),
            now,
            alert=feed.primed,
            trusted=feed.is_default,
            feed=feed,
        )
        rhythm = learn(
            stored_rhythm(feed),
            (i.published_at for i in parsed.items),
            now,
            seen=undated_seen(feed, parsed, ingested.new_items, now),
        )
        delay, schedule = self._schedule(feed, now, rhythm, feed_ttl(result.body))
        await self._repo.feeds.record_success(
            feed.id,
            title=parsed.title,
            etag=result.etag,
            last_modified=result.last_modified,
            now=now,
            next_fetch_at=now + delay,
            schedule=schedule,
        )
        for item in ingested.new_items:
            log.debug("item %d stored: %s", item.id, item.title, extra=_ids(feed, item))
        if ingested.deliveries:
            self._metrics.alerts_queued.inc(ingested.deliveries)
            self._on_deliveries()
        return PollOutcome(feed.id, len(ingested.new_items), ingested.deliveries)

    async def _fail(
        self, feed: Feed, error: str, now: datetime, result: FetchResult
    ) -> PollOutcome:
        failures = feed.consecutive_failures + 1
        delay, schedule = self._backoff(feed, now, failures, result.retry_after)
        await self._repo.feeds.record_failure(
            feed.id, error=error, now=now, next_fetch_at=now + delay, schedule=schedule
        )
        self._metrics.feed_failed(result, error)
        log.warning(
            "feed %s failed (%d in a row): %s", feed.url, failures, error, extra=_ids(feed)
        )
        return PollOutcome(feed.id, error=error)

    def _host_slots(self, url: str) -> asyncio.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self._per_host)
        return self._hosts[host]

    async def _poll_in_slot(self, feed: Feed) -> PollOutcome:
        # poll_feed takes the host's slot first, then a shared one (see there).
        try:
            return await self.poll_feed(feed)
        except Exception as exc:  # a bug must not kill the scheduler: record and move on
            log.exception("polling %s crashed", feed.url)
            now = self._clock()
            failures = feed.consecutive_failures + 1
            delay, schedule = self._backoff(feed, now, failures)
            await self._repo.feeds.record_failure(
                feed.id,
                error=f"internal error: {type(exc).__name__}",
                now=now,
                next_fetch_at=now + delay,
                schedule=schedule,
            )
            return PollOutcome(feed.id, error=str(exc))
        finally:
            self._in_flight.pop(feed.id, None)

    async def poll_due(self) -> list[asyncio.Task[PollOutcome]]:
        """Start fetches for every due feed not already in flight; returns the new tasks."""
        now = self._clock()
        started = []
        limit = max(self._concurrency * 4 - len(self._in_flight), 0)
        claimed = await self._repo.feeds.claim_due(now, limit, until=now + self._claim)
        for feed in claimed:
            if feed.id in self._in_flight:
                continue
            task = asyncio.create_task(self._poll_in_slot(feed), name=f"poll-{feed.id}")
            self._in_flight[feed.id] = task
            started.append(task)
        return started

    async def run(self) -> None:
        await self._repo.feeds.release_claims()  # a previous run's, on SQLite
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
        try:  # cancelled fetches: their feeds are free for the other processes now
            await self._repo.feeds.release_claims()
        except Exception:  # the database may be what is going away
            log.warning("could not release the feeds claimed by this process", exc_info=True)
        await self._ingestor.stop()
        if self._owns_parsing:
            self._parsing.close()
