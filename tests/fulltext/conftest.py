"""Article pages served from 127.0.0.1 and an ingestor wired with the full-text step."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from aiohttp import web

from bot.feeds import Fetcher, FetchLimits, SsrfGuard, make_session
from bot.feeds.ssrf import AddressResolver
from bot.fulltext import ExtractPool, FullText, FullTextPolicy, PageReader
from bot.matching import Analyzer
from bot.pipeline import Ingestor
from bot.subscriptions import SubscriptionService
from storage import Delivery, Feed, NewItem, Repository
from tests.chat.conftest import bot_settings, chatbot, stub_options  # noqa: F401  (fixtures)
from tests.conftest import NOW
from tests.support.feedserver import LocalServer, serve
from tests.support.paths import DATA

PAGES = DATA / "pages"
TIMEOUT = 0.5  # FULLTEXT_TIMEOUT_SECONDS in these tests


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@dataclass
class Route:
    """One page: its body and how the server answers (`delay` seconds first; `redirect`)."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    redirect: str | None = None
    hits: int = 0
    requested: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    server: LocalServer | None = None
    closing: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    async def handle(self, request: web.Request) -> web.StreamResponse:
        route = self.routes.get(request.match_info["name"])
        if route is None:
            return web.Response(status=404)
        route.hits += 1
        route.requested.set()
        if route.delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), route.delay)
        if route.redirect is not None:
            raise web.HTTPFound(route.redirect)
        return web.Response(body=route.body, headers={"Content-Type": route.content_type})


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    pages = Site()
    async with serve({"/news/{name}": pages.handle}) as server:
        pages.server = server
        yield pages
        pages.closing.set()


def fake_dns(table: dict[str, list[str]]) -> AddressResolver:
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise OSError(f"no such host {host}")
        return table[host]

    return resolve


@dataclass
class Desk:
    repo: Repository
    subscriptions: SubscriptionService
    ingestor: Ingestor
    site: Site
    woken: int = 0

    async def subscribe(self, chat_id: int, *queries: str) -> None:
        await self.repo.chats.upsert(
            chat_id, type="private", title=None, language="ru", timezone="Europe/Moscow", now=NOW
        )
        for query in queries:
            outcome = await self.subscriptions.subscribe(chat_id, query, NOW)
            assert outcome.subscription is not None, outcome

    async def default_feed(self) -> Feed:
        await self.repo.feeds.sync_defaults(["https://agency.example/rss"], NOW)
        feed = await self.repo.feeds.get_by_url("https://agency.example/rss")
        assert feed is not None
        return feed

    async def chat_feed(self, chat_id: int) -> Feed:
        return await self.repo.feeds.add_for_chat(chat_id, "https://blog.example/rss", None, NOW)

    async def ingest(self, feed: Feed, *items: NewItem) -> int:
        result = await self.ingestor.ingest(
            feed.id, list(items), NOW, alert=True, trusted=feed.is_default, feed=feed
        )
        return result.deliveries

    async def alerts(self) -> list[Delivery]:
        return await self.repo.deliveries.due(NOW + timedelta(days=1), 1000)


def title_only(title: str, link: str, guid: str = "a1", text: str = "") -> NewItem:
    return NewItem(guid, link, None, title, text, NOW)


async def make_desk(
    repo: Repository,
    analyzer: Analyzer,
    site: Site,
    *,
    wait: float = TIMEOUT,
    limits: FetchLimits | None = None,
    max_chars: int = 20_000,
    dns: dict[str, list[str]] | None = None,
) -> AsyncIterator[Desk]:
    limits = limits or FetchLimits(total_timeout=5)
    guard = SsrfGuard(
        resolver=fake_dns(dns or {}), trusted_hosts=frozenset(dns or {}), allow_private=False
    )
    subscriptions = SubscriptionService(repo, analyzer, max_per_chat=50)
    async with make_session(limits) as session, make_session(limits, guard=guard) as guarded:
        reader = PageReader(
            trusted=Fetcher(session, limits),
            guarded=Fetcher(guarded, limits, guard=guard),
            pool=ExtractPool(1, max_chars=max_chars, processes=False),
            per_host=2,
        )
        desk = Desk(repo, subscriptions, Ingestor(repo, subscriptions), site)

        def woke() -> None:
            desk.woken += 1

        desk.ingestor = Ingestor(
            repo,
            subscriptions,
            fulltext=FullText(reader, FullTextPolicy(timeout=wait)),
            on_late=woke,
            clock=lambda: NOW,
        )
        try:
            yield desk
        finally:
            await desk.ingestor.stop()
            reader.close()


@pytest.fixture
def desk_wait() -> float:
    """FULLTEXT_TIMEOUT_SECONDS of the `desk` fixture (a test may parametrize it)."""
    return TIMEOUT


@pytest.fixture
async def desk(
    repo: Repository, analyzer: Analyzer, site: Site, desk_wait: float
) -> AsyncIterator[Desk]:
    async for made in make_desk(repo, analyzer, site, wait=desk_wait):
        yield made
