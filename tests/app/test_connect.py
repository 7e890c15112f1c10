"""Start-up waits for Telegram: a server that is down is asked again, a refused token is not."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest

from bot.app import build_bot
from bot.config import Settings
from bot.connect import ConnectBackoff, TelegramRefusedError, wait_for_telegram
from tests.support.botapi import TEST_TOKEN, BotApiStub
from tests.support.pacing import unpaced_budget

QUICK = ConnectBackoff(first=0.05, cap=0.2, request_timeout=2)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_settings(url: str) -> Settings:
    return Settings(_env_file=None, BOT_TOKEN=TEST_TOKEN, TELEGRAM_API_URL=url)  # type: ignore[call-arg]


def test_the_backoff_doubles_from_one_second_up_to_a_minute() -> None:
    delays = [ConnectBackoff().delay(n) for n in range(1, 10)]
    assert delays == [1, 2, 4, 8, 16, 32, 60, 60, 60]


async def test_a_server_that_comes_up_later_is_waited_for_with_one_log_line_per_attempt(
    caplog: pytest.LogCaptureFixture,
) -> None:
    port = free_port()
    bot = build_bot(make_settings(f"http://127.0.0.1:{port}"), unpaced_budget())
    stop = asyncio.Event()
    caplog.set_level(logging.INFO, logger="bot.connect")
    waiting = asyncio.create_task(wait_for_telegram(bot, stop, QUICK))
    stub = BotApiStub()
    try:
        while len(caplog.records) < 3:  # noqa: ASYNC110 - log records have no event to await
            await asyncio.sleep(0.02)
        assert not waiting.done()
        await stub.start(port)
        me = await asyncio.wait_for(waiting, 5)
    finally:
        await stub.close()
        await bot.session.close()
    assert me is not None and me.username == stub.bot_user.username
    failures = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(failures) >= 3
    assert all("\n" not in r.getMessage() for r in caplog.records)
    assert all("attempt" in r.getMessage() for r in failures)
    assert "answered after" in caplog.records[-1].getMessage()


async def test_a_stop_while_waiting_returns_at_once() -> None:
    bot = build_bot(make_settings(f"http://127.0.0.1:{free_port()}"), unpaced_budget())
    stop = asyncio.Event()
    waiting = asyncio.create_task(wait_for_telegram(bot, stop, ConnectBackoff(first=30.0)))
    await asyncio.sleep(0.3)  # the first attempt failed; now in a 30 s pause
    loop = asyncio.get_running_loop()
    began = loop.time()
    stop.set()
    assert await asyncio.wait_for(waiting, 2) is None
    assert loop.time() - began < 0.5
    await bot.session.close()


async def test_a_refused_token_is_not_waited_for() -> None:
    async with BotApiStub(tokens={"654321:some-other-token"}) as stub:
        bot = build_bot(make_settings(stub.base_url), unpaced_budget())
        with pytest.raises(TelegramRefusedError, match="Unauthorized"):
            await asyncio.wait_for(wait_for_telegram(bot, asyncio.Event(), QUICK), 5)
        await bot.session.close()
        assert len(stub.calls("getMe")) == 1
