"""A feed site on 127.0.0.1 whose content tests change between polls, and a wired poller."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

import pytest

from bot.feeds import Fetcher, FetchLimits, SsrfGuard, make_session
from bot.matching import Analyzer
from bot.pipeline import Ingestor
from bot.poller import FeedPoller
from bot.subscriptions import SubscriptionService
from storage import Feed, Repository
from tests.conftest import NOW
from tests.support.clock import FakeClock
from tests.support.feedserver import FeedSite, serve
from tests.support.paths import sample


def dated_feed(published: list[datetime], prefix: str = "item") -> bytes:
    """An RSS body listing one item per publication time (newest first, as feeds do)."""
    items = "".join(
        f"<item><guid>https://example.com/{prefix}/{when.timestamp():.0f}</guid>"
        f"<title>Новость {when.timestamp():.0f}</title>"
        f"<link>https://example.com/{prefix}/{when.timestamp():.0f}</link>"
        f"<description>Текст новости.</description>"
        f"<pubDate>{format_datetime(when)}</pubDate></item>"
        for when in sorted(published, reverse=True)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Лента</title><link>https://example.com/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    feed_site = FeedSite(body=sample("lenta-2022-12-03.xml"))
    async with serve({"/feed": feed_site.handle}) as server:
        feed_site.server = server
        yield feed_site


@dataclass
class Rig:
    repo: Repository
    subscriptions: SubscriptionService
    poller: FeedPoller
    clock: FakeClock
    site: FeedSite

    async def feed(self) -> Feed:
        feed = await self.repo.feeds.get_by_url(self.site.url)
        assert feed is not None
        return feed

    async def poll(self) -> object:
        return await self.poller.poll_feed(await self.feed())


@pytest.fixture
async def rig(repo: Repository, site: FeedSite, analyzer: Analyzer) -> AsyncIterator[Rig]:
    clock = FakeClock(NOW)
    subscriptions = SubscriptionService(repo, analyzer, max_per_chat=50)
    limits = FetchLimits(total_timeout=5)
    guard = SsrfGuard(allow_private=False)
    async with make_session(limits) as session, make_session(limits, guard=guard) as guarded:
        poller = FeedPoller(
            repo,
            Ingestor(repo, subscriptions),
            for_defaults=Fetcher(session, limits),
            for_chat_feeds=Fetcher(guarded, limits, guard=guard),
            interval=120,
            concurrency=4,
            clock=clock,
            rng=random.Random(1),
        )
        await repo.feeds.sync_defaults([site.url], clock())
        yield Rig(repo, subscriptions, poller, clock, site)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> str:
    """The pipeline runs on both engines (tests/storage/conftest.py says how)."""
    return str(request.param)
