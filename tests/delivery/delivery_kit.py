"""Helpers for delivery tests: settings, a worker as the bot builds it, and seeding the queue
the way the pipeline does (chats, items and pending deliveries through the Repository)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiogram import Bot

from bot.config import Settings
from bot.delivery import Backoff, DeliveryConfig, DeliveryLimits, DeliveryWorker, SendBudget
from bot.matching import Analyzer
from storage import NewDelivery, NewItem, Repository
from tests.support.botapi import TEST_TOKEN
from tests.support.clock import loop_now, loop_time
from tests.support.pacing import unpaced_budget

FEED_URL = "http://127.0.0.1/feed"
TEXT = (
    "Москва. 2 февраля. INTERFAX.RU - Россия готова обсуждать возобновление прямого "
    "авиасообщения с США, говорится в заявлении главы МИД РФ Сергея Лаврова. "
    "Переговоры продолжатся."
)


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"BOT_TOKEN": TEST_TOKEN, "DELIVERY_MAX_ATTEMPTS": 3}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


QUICK_BACKOFF = Backoff(base=0.05, cap=0.2)


class Seeder:
    """Chats, items and queued deliveries, written the way the pipeline writes them."""

    def __init__(self, repo: Repository, clock: Callable[[], datetime]) -> None:
        self.repo = repo
        self.clock = clock
        self._items = 0

    async def chat(self, chat_id: int, type: str = "private", language: str = "ru") -> None:
        await self.repo.chats.upsert(
            chat_id,
            type=type,
            title=None,
            language=language,
            timezone="Europe/Moscow",
            now=self.clock(),
        )

    async def item(self, title: str | None = None, text: str = TEXT) -> int:
        await self.repo.feeds.sync_defaults([FEED_URL], self.clock())
        feed = await self.repo.feeds.get_by_url(FEED_URL)
        assert feed is not None
        self._items += 1
        n = self._items
        new = NewItem(
            guid=f"g{n}",
            link=f"https://www.interfax.ru/world/{n}",
            canonical_link=None,
            title=title or f"Новость {n}: Лавров об авиасообщении",
            text=text,
            published_at=self.clock(),
        )
        (stored,) = await self.repo.items.insert_new(feed.id, [new], self.clock())
        return stored.id

    async def queue(
        self, chat_id: int, item_id: int, queries: tuple[str, ...] = ("Лавров",)
    ) -> None:
        pending = NewDelivery(chat_id, item_id, tuple(range(1, len(queries) + 1)), queries)
        assert await self.repo.deliveries.enqueue([pending], self.clock()) == 1

    async def alerts(self, chat_ids: list[int], per_chat: int) -> list[int]:
        """per_chat items, each queued for every chat (item-major, like a feed poll)."""
        items = []
        for _ in range(per_chat):
            item_id = await self.item()
            items.append(item_id)
            for chat_id in chat_ids:
                await self.queue(chat_id, item_id)
        return items


def telegram_budget(rate: float = 25.0) -> SendBudget:
    """The budget the running bot has: Telegram's pacing, on the loop's clock (call it inside
    the test's loop)."""
    return SendBudget(DeliveryLimits(rate=rate), loop_time)


def make_worker(
    bot: Bot,
    repo: Repository,
    analyzer: Analyzer,
    *,
    settings: Settings | None = None,
    budget: SendBudget | None = None,
    backoff: Backoff = QUICK_BACKOFF,
    stop_grace: float = 1.0,
    idle_poll: float = 0.5,
    **kwargs: Any,
) -> DeliveryWorker:
    """A worker as the bot builds it, with short waits, on the loop's clock (`loop_now`, like
    the `seed` fixture); `kwargs` go to `DeliveryWorker`."""
    config = DeliveryConfig.from_settings(
        settings or make_settings(), backoff=backoff, stop_grace=stop_grace, idle_poll=idle_poll
    )
    kwargs.setdefault("clock", loop_now)
    return DeliveryWorker(
        bot, repo, analyzer, config, budget or unpaced_budget(loop_time), **kwargs
    )
