"""Chats configured from elsewhere, and forum topics: the chat harness of tests/chat, plus a
feed's items ingested and delivered the way the running bot does it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiogram.types import ErrorEvent

from bot.app import build_bot, build_dispatcher
from bot.pipeline import Ingestor, IngestResult
from bot.services import Services
from storage import NewItem, Repository
from tests.chat.conftest import ChatBot, make_settings
from tests.delivery.delivery_kit import make_worker
from tests.support.botapi import BotApiStub
from tests.support.pacing import unpaced_budget
from tests.support.records import SentMessage
from tests.support.updates import Chat, User

FEED = "http://127.0.0.1:9/rss"


_WRITES = ("sendmessage", "editmessagetext", "editmessagereplymarkup", "answercallbackquery")


class Desk:
    """The bot's chat side plus its ingest and delivery, over one stand-in.

    As in tests/chat, a handler's exception or a refused write fails the test, except the
    refusals a test says it provokes (`expect_refusal`): a deleted topic, a demoted bot."""

    def __init__(self, cb: ChatBot) -> None:
        self.cb = cb
        self.stub = cb.stub
        self.repo = cb.repo
        self._items = 0
        self.expected: list[str] = []
        self.notify: Callable[[], None] = lambda: None

    def expect_refusal(self, description: str) -> None:
        self.expected.append(description)

    async def until(self, check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until `check()` holds: the database has no event to wait on, so it is asked again."""
        async with asyncio.timeout(timeout):
            while not await check():  # noqa: ASYNC110
                await asyncio.sleep(0.05)

    async def in_topic(
        self, chat: Chat, user: User, text: str, thread: int | None, replies: int = 1
    ) -> list[SentMessage]:
        """Write in a forum topic (None: General); the bot's replies in that topic."""
        before = len(self.stub.topic_messages(chat.id, thread))
        self.stub.send_message(chat, user, text, thread_id=thread)
        got = await self.stub.wait_topic_messages(chat.id, thread, before + replies)
        return got[before:]

    async def publish(self, title: str, text: str = "", story: str | None = None) -> int:
        """A new item of the operator's feed, matched and queued as the poller would; returns
        the alerts queued (`story`: the item reports that story, as the grouper decided)."""
        return (await self.ingest(title, text, story)).deliveries

    async def ingest(self, title: str, text: str = "", story: str | None = None) -> IngestResult:
        now = datetime.now(UTC)
        await self.repo.feeds.sync_defaults([FEED], now)
        feed = await self.repo.feeds.get_by_url(FEED)
        assert feed is not None
        self._items += 1
        n = self._items
        link = f"https://news.example/{n}"
        new = NewItem(f"g{n}", link, None, title, text or title, now, story)
        ingest = Ingestor(self.repo, self.cb.services.subscription_service)
        return await ingest.ingest(feed.id, [new], now, alert=True, trusted=True)

    @contextlib.asynccontextmanager
    async def delivering(self) -> AsyncIterator[None]:
        """The delivery worker running while the block runs (`notify` wakes it)."""
        worker = make_worker(self.cb.bot, self.repo, self.cb.services.analyzer, idle_poll=0.1)
        self.notify = worker.notify
        task = asyncio.create_task(worker.run())
        try:
            yield
        finally:
            await worker.stop()
            await asyncio.wait_for(task, 5)


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Desk]:
    async with BotApiStub() as stub:
        settings = make_settings(tmp_path, stub.base_url)
        repo = await Repository.open(settings.database_url)
        services = await Services.create(settings, repo)
        bot = build_bot(settings, unpaced_budget())
        dp = build_dispatcher(services)
        harness = ChatBot(stub, repo, services, bot, dp)
        desk = Desk(harness)

        async def collect(event: ErrorEvent) -> bool:
            harness.errors.append(event.exception)
            return True

        dp.errors.register(collect)
        task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
        try:
            yield desk
        finally:
            with contextlib.suppress(RuntimeError):
                await dp.stop_polling()
            await asyncio.wait_for(task, 10)
            await bot.session.close()
            await repo.close()
        refused = [
            (c.method, c.description)
            for c in stub.calls()
            if c.method.lower() in _WRITES
            and not c.ok
            and not any(e in (c.description or "") for e in desk.expected)
        ]
        assert not harness.errors, harness.errors
        assert not refused, refused
