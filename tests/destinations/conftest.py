"""Chats configured from elsewhere, and forum topics: the chat harness of tests/chat, plus a
feed's items ingested and delivered the way the running bot does it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.pipeline import Ingestor, IngestResult
from storage import NewItem
from tests.chat.conftest import ChatBot, make_settings, running_chatbot
from tests.delivery.delivery_kit import make_worker
from tests.support.botapi import BotApiStub
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
        async with running_chatbot(stub, settings) as harness:
            desk = Desk(harness)
            yield desk
        refused = [
            (c.method, c.description)
            for c in stub.calls()
            if c.method.lower() in _WRITES
            and not c.ok
            and not any(e in (c.description or "") for e in desk.expected)
        ]
        assert not harness.errors, harness.errors
        assert not refused, refused
