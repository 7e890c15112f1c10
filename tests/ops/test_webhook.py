"""Webhook mode in one process: Telegram (the stand-in) posts updates with the secret; anyone
else gets 401 and changes nothing."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message

from bot.app import build_bot, build_dispatcher
from bot.config import Settings
from bot.connect import TelegramRefusedError
from bot.services import Services
from bot.webhook import HttpServers, ListenError, WebhookEndpoint, leave_webhook, run_webhook
from storage import Repository
from tests.support.botapi import TEST_TOKEN, BotApiStub
from tests.support.pacing import unpaced_budget
from tests.support.updates import Chat, User, message_payload

SECRET = "right_Secret-123"
ALICE = User(101, "Алиса", "alice", "ru")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def webhook_settings(tmp_path: Path, stub: BotApiStub, port: int) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        BOT_TOKEN=TEST_TOKEN,
        TELEGRAM_API_URL=stub.base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'w.sqlite3'}",
        FEEDS=[],
        WEBHOOK_URL=f"http://127.0.0.1:{port}/tg/hook",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
    )


@dataclass
class Hooked:
    stub: BotApiStub
    repo: Repository
    bot: Bot
    endpoint: WebhookEndpoint
    stop: asyncio.Event
    running: asyncio.Task[None]

    def raw_update(self, text: str) -> dict[str, object]:
        return {"update_id": 999, "message": message_payload(Chat.private(ALICE), ALICE, 1, text)}


@pytest.fixture
async def hooked(tmp_path: Path, stub: BotApiStub) -> AsyncIterator[Hooked]:
    settings = webhook_settings(tmp_path, stub, free_port())
    repo = await Repository.open(settings.database_url)
    services = await Services.create(settings, repo)
    bot = build_bot(settings, unpaced_budget())
    dp = build_dispatcher(services)
    assert settings.webhook_secret is not None
    endpoint = WebhookEndpoint(dp, bot, settings.webhook_secret)
    servers = HttpServers()
    servers.add(settings.webhook_listen, [endpoint.route(settings.webhook_path)])
    await servers.start()
    stop = asyncio.Event()
    running = asyncio.create_task(run_webhook(dp, bot, endpoint, servers, settings, stop))
    await stub.wait_calls("setWebhook")
    try:
        yield Hooked(stub, repo, bot, endpoint, stop, running)
    finally:
        stop.set()
        await asyncio.wait_for(running, 15)
        await servers.stop()
        await bot.session.close()
        await repo.close()


async def test_start_sets_the_webhook_with_the_secret_and_keeps_pending_updates(
    hooked: Hooked,
) -> None:
    [call] = hooked.stub.calls("setWebhook")
    assert call.params["url"].endswith("/tg/hook")
    assert call.params["secret_token"] == SECRET
    assert call.params["drop_pending_updates"] is False
    assert {"message", "callback_query"} <= set(call.params["allowed_updates"])
    assert hooked.stub.calls("getUpdates") == []


async def test_an_update_posted_with_the_secret_is_handled(hooked: Hooked) -> None:
    hooked.stub.send_message(ALICE, ALICE, "/sub Лавров")
    [reply] = await hooked.stub.wait_messages(ALICE.id)
    assert "Лавров" in reply.text
    assert [s.query for s in await hooked.repo.subscriptions.for_chat(ALICE.id)] == ["Лавров"]
    await hooked.stub.wait_for(lambda: hooked.stub.webhook_posts)  # answered after handling
    assert [p.status for p in hooked.stub.webhook_posts] == [200]
    assert hooked.stub.pending_updates == 0


@pytest.mark.parametrize("secret", ["wrong_secret", None, SECRET + "x", ""])
async def test_a_wrong_or_missing_secret_gets_401_and_changes_nothing(
    hooked: Hooked, secret: str | None
) -> None:
    status, _ = await hooked.stub.post_update(hooked.raw_update("/sub Лавров"), secret=secret)
    assert status == 401
    await asyncio.sleep(0.2)  # were it handled, its reply would be on its way by now
    assert hooked.stub.messages() == []
    assert await hooked.repo.chats.get(ALICE.id) is None
    assert await hooked.repo.subscriptions.for_chat(ALICE.id) == []


async def test_a_body_that_is_not_an_update_is_refused_with_400(hooked: Hooked) -> None:
    status, _ = await hooked.stub.post_update({"nonsense": True}, secret=SECRET)
    assert status == 400


async def test_an_update_posted_while_the_bot_is_not_ready_comes_again_and_is_handled(
    hooked: Hooked,
) -> None:
    hooked.endpoint.open = False
    hooked.stub.send_message(ALICE, ALICE, "/sub Песков")
    await hooked.stub.wait_for(lambda: len(hooked.stub.webhook_posts) >= 2)
    assert {p.status for p in hooked.stub.webhook_posts} == {503}
    hooked.endpoint.open = True
    await hooked.stub.wait_messages(ALICE.id)
    assert [s.query for s in await hooked.repo.subscriptions.for_chat(ALICE.id)] == ["Песков"]


async def test_stopping_leaves_the_webhook_set_for_other_processes(hooked: Hooked) -> None:
    hooked.stop.set()
    await asyncio.wait_for(hooked.running, 15)
    assert hooked.stub.webhook is not None
    assert hooked.stub.calls("deleteWebhook") == []


async def test_the_polling_start_deletes_a_webhook_left_set_and_keeps_its_updates(
    stub: BotApiStub, bot: Bot
) -> None:
    # Nobody listens there: the update stays queued, as Telegram keeps it for a dead webhook.
    assert await bot.set_webhook("http://127.0.0.1:9/none", secret_token=SECRET)
    stub.send_message(ALICE, ALICE, "/start")
    await stub.wait_for(lambda: stub.webhook_posts)
    assert stub.webhook_posts[0].status == 0
    await leave_webhook(bot)
    assert stub.webhook is None
    assert (await bot.get_updates())[0].message is not None


async def test_polling_start_without_a_webhook_deletes_nothing(stub: BotApiStub, bot: Bot) -> None:
    await leave_webhook(bot)
    assert stub.calls("getWebhookInfo") and stub.calls("deleteWebhook") == []


async def test_a_webhook_url_the_bot_api_refuses_stops_the_start_with_a_one_line_error(
    tmp_path: Path, stub: BotApiStub, bot: Bot
) -> None:
    from bot.webhook import set_webhook

    settings = webhook_settings(tmp_path, stub, 8443).model_copy(
        update={"webhook_url": "ftp://127.0.0.1/hook"}
    )
    with pytest.raises(TelegramRefusedError, match=r"setWebhook refused .*WEBHOOK_URL"):
        await set_webhook(bot, settings, ["message"], asyncio.Event())


async def test_a_handler_that_raises_is_answered_so_telegram_does_not_repeat_it(
    stub: BotApiStub, bot: Bot
) -> None:
    router = Router()

    @router.message()
    async def broken(message: Message) -> None:
        raise RuntimeError("a bug")

    dp = Dispatcher()
    dp.include_router(router)
    port = free_port()
    endpoint = WebhookEndpoint(dp, bot, SECRET)
    endpoint.open = True
    servers = HttpServers()
    servers.add(("127.0.0.1", port), [endpoint.route("/hook")])
    await servers.start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token=SECRET)
        stub.send_message(ALICE, ALICE, "hello")
        await stub.wait_for(lambda: stub.webhook_posts)
        assert [p.status for p in stub.webhook_posts] == [200]
        assert stub.pending_updates == 0
    finally:
        await servers.stop()


async def test_an_address_in_use_is_a_listen_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        servers = HttpServers()
        servers.add(("127.0.0.1", port), [])
        with pytest.raises(ListenError, match=f"cannot listen on 127.0.0.1:{port}"):
            await servers.start()
    with contextlib.suppress(Exception):
        await servers.stop()
