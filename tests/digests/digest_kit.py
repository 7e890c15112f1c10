"""A chat with quiet hours or a digest schedule, its subscriptions, and alerts queued for it
the way the pipeline queues them, on a FakeClock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Bot

from bot.delivery import DeliveryWorker
from bot.matching import Analyzer
from storage import NewDelivery, NewItem, Repository, Subscription
from tests.delivery.delivery_kit import TEXT, make_worker
from tests.support.clock import FakeClock

MOSCOW = ZoneInfo("Europe/Moscow")
CHAT = 101


def moscow(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=MOSCOW).astimezone(UTC)  # type: ignore[misc]


class Desk:
    """One chat and its news, seeded through the Repository on a clock the test moves."""

    def __init__(self, repo: Repository, clock: FakeClock) -> None:
        self.repo = repo
        self.clock = clock
        self._items = 0

    async def chat(self, chat_id: int = CHAT) -> None:
        await self.repo.chats.upsert(
            chat_id,
            type="private",
            title=None,
            language="ru",
            timezone="Europe/Moscow",
            now=self.clock(),
        )

    async def sub(self, query: str, *, urgent: bool = False, chat_id: int = CHAT) -> Subscription:
        return await self.repo.subscriptions.add(chat_id, query, self.clock(), urgent=urgent)

    async def feed(self, outlet: str) -> int:
        url = f"http://127.0.0.1/{outlet}/rss"
        now = self.clock()
        await self.repo.feeds.sync_defaults([url], now)
        feed = await self.repo.feeds.get_by_url(url)
        assert feed is not None
        await self.repo.feeds.record_success(
            feed.id, title=outlet, etag=None, last_modified=None, now=now, next_fetch_at=now
        )
        return feed.id

    async def item(self, title: str, outlet: str = "Интерфакс") -> int:
        feed_id = await self.feed(outlet)
        self._items += 1
        n = self._items
        new = NewItem(f"g{n}", f"https://news.example/{n}", None, title, TEXT, self.clock())
        (stored,) = await self.repo.items.insert_new(feed_id, [new], self.clock())
        return stored.id

    async def alert(self, title: str, *subs: Subscription, chat_id: int = CHAT) -> int:
        """An item matched by `subs` and queued for the chat; returns the item id."""
        item_id = await self.item(title)
        queued = NewDelivery(
            chat_id, item_id, tuple(s.id for s in subs), tuple(s.query for s in subs)
        )
        assert await self.repo.deliveries.enqueue([queued], self.clock()) == 1
        return item_id


def worker(
    bot: Bot, repo: Repository, analyzer: Analyzer, clock: FakeClock, **kw: Any
) -> DeliveryWorker:
    return make_worker(bot, repo, analyzer, clock=clock, **kw)
