"""Serving routes on 127.0.0.1 for a test, a clock the test moves by hand, a queue of alerts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import aiohttp
from aiohttp import web

from storage import NewDelivery, NewItem, Repository

FEED_URL = "http://127.0.0.1/feed"


class ManualClock:
    """A monotonic clock that only moves when the test says so."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@asynccontextmanager
async def serving(routes: Iterable[web.RouteDef]) -> AsyncIterator[str]:
    """The routes on a free port; yields the base URL."""
    app = web.Application()
    app.add_routes(list(routes))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


async def get(url: str) -> tuple[int, str, dict[str, Any] | None]:
    """Status, body text, and the body as JSON when it is JSON."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        text = await response.text()
        data = await response.json() if response.content_type == "application/json" else None
        return response.status, text, data


async def queue_alerts(repo: Repository, now: datetime, chat_ids: list[int], items: int) -> None:
    """`items` stored items, each with a pending alert for every chat (as the pipeline queues)."""
    await repo.feeds.sync_defaults([FEED_URL], now)
    feed = await repo.feeds.get_by_url(FEED_URL)
    assert feed is not None
    for chat_id in chat_ids:
        await repo.chats.upsert(
            chat_id, type="private", title=None, language="ru", timezone="UTC", now=now
        )
    for n in range(items):
        new = NewItem(f"g{n}", f"https://example.com/{n}", None, f"Лавров {n}", "Лавров", now)
        (stored,) = await repo.items.insert_new(feed.id, [new], now)
        queued = [NewDelivery(chat_id, stored.id, (1,), ("Лавров",)) for chat_id in chat_ids]
        assert await repo.deliveries.enqueue(queued, now) == len(chat_ids)
