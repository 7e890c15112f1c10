"""A running bot for chat tests: the real aiogram Bot and Dispatcher, polling the stand-in.

Nothing of aiogram is mocked: updates go through getUpdates over HTTP, replies come back as
sendMessage calls the stand-in validates (HTML subset, length). Any exception a handler raises
and any refused request fails the test at teardown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.types import ErrorEvent

from bot.app import build_bot, build_dispatcher
from bot.config import Settings
from bot.services import Services
from storage import Item, NewDelivery, NewItem, Repository
from tests.support.botapi import TEST_TOKEN, BotApiStub
from tests.support.pacing import unpaced_budget
from tests.support.records import SentMessage
from tests.support.updates import Chat, User

ALICE = User(101, "Алиса", "alice", "ru")
BOB = User(202, "Bob", "bob", "en")
ADMIN = User(303, "Админ", "admin", "ru")
MEMBER = User(404, "Участник", "member", "ru")
OPERATOR = User(505, "Оператор", "operator", "ru")
GROUP = Chat.group(-1001234567890, "Новости")
_WRITES = ("sendmessage", "editmessagetext", "editmessagereplymarkup", "answercallbackquery")


@dataclass
class ChatBot:
    stub: BotApiStub
    repo: Repository
    services: Services
    bot: Bot
    dp: Dispatcher
    errors: list[BaseException] = field(default_factory=list)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    async def say(
        self,
        user: User,
        text: str,
        chat: Chat | None = None,
        replies: int = 1,
        reply_to: int | None = None,
    ) -> list[SentMessage]:
        """Send text as user (in their private chat unless `chat`); return the new replies."""
        where = chat or Chat.private(user)
        before = len(self.stub.messages(where.id))
        self.stub.send_message(where, user, text, reply_to=reply_to)
        sent = await self.stub.wait_messages(where.id, before + replies)
        return sent[before:]

    async def last(self, user: User, text: str, chat: Chat | None = None) -> SentMessage:
        return (await self.say(user, text, chat))[-1]

    async def press(
        self, user: User, message: SentMessage, data: str, chat: Chat | None = None
    ) -> dict[str, Any]:
        """Press a button under `message`; return the callback answer once the bot gave it."""
        where = chat or Chat.private(user)
        query_id = self.stub.press_button(where, user, message.message_id, data)
        await self.stub.wait_for(lambda: query_id in self.stub.callback_answers)
        return self.stub.callback_answers[query_id]

    async def press_label(
        self, user: User, message: SentMessage, label: str, chat: Chat | None = None
    ) -> dict[str, Any]:
        data = message.button(label)["callback_data"]
        return await self.press(user, message, data, chat)

    async def seed_items(
        self,
        titles: list[str],
        *,
        feed_url: str = "http://127.0.0.1:9/rss",
        age: Callable[[int], timedelta] = lambda i: timedelta(minutes=i),
    ) -> list[Item]:
        """Store items as if a feed had brought them, the first title newest."""
        now = datetime.now(UTC)
        await self.repo.feeds.sync_defaults([feed_url], now)
        feed = await self.repo.feeds.get_by_url(feed_url)
        assert feed is not None
        stored: list[Item] = []
        for i, title in reversed(list(enumerate(titles))):
            new = NewItem(
                f"guid-{i}-{title}",
                f"https://news.example/{i}",
                None,
                title,
                f"Текст новости номер {i}.",
                now - age(i),
            )
            stored += await self.repo.items.insert_new(feed.id, [new], now)
        return list(reversed(stored))

    async def deliver(self, chat_id: int, item: Item, sub_id: int, query: str) -> None:
        now = datetime.now(UTC)
        await self.repo.deliveries.enqueue(
            [NewDelivery(chat_id, item.id, (sub_id,), (query,))], now
        )
        for d in await self.repo.deliveries.due(now + timedelta(seconds=1), 1000):
            await self.repo.deliveries.mark_sent(d.id, 1, now)


def make_settings(tmp_path: Path, base_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 't.sqlite3'}",
        "FEEDS": [],
        "ADMIN_IDS": [OPERATOR.id],
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def bot_settings() -> dict[str, Any]:
    """Overrides for Settings; a test changes them before asking for `chatbot`."""
    return {}


@pytest.fixture
def stub_options() -> dict[str, Any]:
    """Options for the stand-in (e.g. privacy_mode); a test overrides them by parametrizing."""
    return {}


@contextlib.asynccontextmanager
async def running_chatbot(stub: BotApiStub, settings: Settings) -> AsyncIterator[ChatBot]:
    """The bot built as `python -m bot` builds it, polling `stub` until the block ends; a
    handler's exception is collected in `errors` for the caller to check."""
    repo = await Repository.open(settings.database_url)
    services = await Services.create(settings, repo)
    bot = build_bot(settings, unpaced_budget())  # pacing: tests/delivery, tests/e2e
    dp = build_dispatcher(services)
    harness = ChatBot(stub, repo, services, bot, dp)

    async def collect(event: ErrorEvent) -> bool:
        harness.errors.append(event.exception)
        return True

    dp.errors.register(collect)
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        yield harness
    finally:
        with contextlib.suppress(RuntimeError):
            await dp.stop_polling()
        await asyncio.wait_for(task, 10)
        await bot.session.close()
        await repo.close()


@pytest.fixture
async def chatbot(
    tmp_path: Path, bot_settings: dict[str, Any], stub_options: dict[str, Any]
) -> AsyncIterator[ChatBot]:
    async with BotApiStub(**stub_options) as stub:
        settings = make_settings(tmp_path, stub.base_url, **bot_settings)
        async with running_chatbot(stub, settings) as harness:
            yield harness
        refused = [
            (c.method, c.description)
            for c in stub.calls()
            if c.method.lower() in _WRITES and not c.ok
        ]
        assert not harness.errors, harness.errors
        assert not refused, refused
