"""A feed site on 127.0.0.1 whose content tests change between polls, and a wired poller."""

from __future__ import annotations

import hashlib
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.feeds import Fetcher, FetchLimits, SsrfGuard, make_session
from bot.matching import Analyzer
from bot.pipeline import Ingestor
from bot.poller import FeedPoller
from bot.subscriptions import SubscriptionService
from storage import Feed, Repository
from tests.conftest import NOW

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"


@dataclass
class FeedSite:
    """Serves `body` at /feed with a content-derived ETag; `status` overrides with an error."""

    body: bytes = b""
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    requests: list[dict[str, str]] = field(default_factory=list)
    server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}/feed"

    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(dict(request.headers))
        if self.status != 200:
            return web.Response(status=self.status, text="error", headers=self.headers)
        if request.headers.get("If-None-Match") == self.etag():
            return web.Response(status=304, headers={"ETag": self.etag()})
        return web.Response(
            body=self.body,
            headers={"Content-Type": self.content_type, "ETag": self.etag(), **self.headers},
        )


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    feed_site = FeedSite(body=(DATA / "lenta-2022-12-03.xml").read_bytes())
    app = web.Application()
    app.router.add_get("/feed", feed_site.handle)
    feed_site.server = TestServer(app, host="127.0.0.1", port=0)
    await feed_site.server.start_server()
    yield feed_site
    await feed_site.server.close()


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Rig:
    repo: Repository
    subscriptions: SubscriptionService
    poller: FeedPoller
    clock: Clock
    site: FeedSite

    async def feed(self) -> Feed:
        feed = await self.repo.feeds.get_by_url(self.site.url)
        assert feed is not None
        return feed

    async def poll(self) -> object:
        return await self.poller.poll_feed(await self.feed())


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture
async def rig(repo: Repository, site: FeedSite, analyzer: Analyzer) -> AsyncIterator[Rig]:
    clock = Clock(NOW)
    subscriptions = SubscriptionService(repo, analyzer, max_per_chat=50)
    limits = FetchLimits(total_timeout=5)
    guard = SsrfGuard(allow_private=False)
    async with make_session(limits) as session, make_session(limits, guard=guard) as guarded:
        poller = FeedPoller(
            repo,
            Ingestor(repo, subscriptions),
            trusted=Fetcher(session, limits),
            guarded=Fetcher(guarded, limits, guard=guard),
            interval=120,
            concurrency=4,
            retention=timedelta(days=30),
            clock=clock,
            rng=random.Random(1),
        )
        await repo.feeds.sync_defaults([site.url], clock())
        yield Rig(repo, subscriptions, poller, clock, site)
