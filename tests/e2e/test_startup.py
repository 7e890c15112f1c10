"""Telegram unreachable at start: the process waits for it, stops cleanly, or says why not.

Before, `python -m bot` with the Bot API down exited 1 with a 164-line log; a refused token
was the same traceback. Now: one log line per attempt with growing pauses, serving as soon as
Telegram answers, exit 0 on SIGTERM while waiting, and a one-line error (exit 2) for a token
Telegram refuses.
"""

from __future__ import annotations

import socket

import pytest

from tests.e2e.conftest import BotFactory, FeedServer, say, wait_until
from tests.support.botapi import BotApiStub
from tests.support.offline import HUNG_LOOKUPS

pytestmark = pytest.mark.e2e

UNREACHABLE = "not reachable"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_bot_waits_for_telegram_and_serves_once_it_comes_up(
    feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("agency", [])
    port = free_port()
    bot = make_bot(FEEDS=feed.url, TELEGRAM_API_URL=f"http://127.0.0.1:{port}")
    bot.launch()
    await wait_until(
        lambda: sum(UNREACHABLE in line for line in bot.log_lines()) >= 2, 15, "2 attempts", bot
    )
    assert bot.running()
    late = BotApiStub()
    await late.start(port)
    try:
        await wait_until(lambda: late.calls("getUpdates"), 15, "polling", bot)
        reply = await say(late, 501, "/start")
        assert reply.text
        attempts = [line for line in bot.log_lines() if UNREACHABLE in line]
        assert all("attempt" in line for line in attempts)
        assert "Traceback" not in "\n".join(bot.log_lines())
        code, _ = await bot.terminate()
        assert code == 0
    finally:
        await late.close()


async def test_sigterm_while_waiting_for_telegram_exits_0_at_once_with_a_short_log(
    make_bot: BotFactory,
) -> None:
    bot = make_bot(TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}", FEEDS="")
    bot.launch()
    await wait_until(
        lambda: sum(UNREACHABLE in line for line in bot.log_lines()) >= 2, 15, "2 attempts", bot
    )
    code, took = await bot.terminate(timeout=5)
    lines = bot.log_lines()
    assert code == 0
    assert took < 2.0
    assert "Traceback" not in "\n".join(lines)
    assert len(lines) <= 8, "\n".join(lines)


async def test_sigterm_while_the_bot_api_name_does_not_resolve_yet_exits_0_at_once(
    make_bot: BotFactory,
) -> None:
    # A machine whose network is not up: the lookup of the Bot API's host waits on a resolver
    # that does not answer (for a minute here, tests/support/offline.py).
    host = "api.telegram.example"
    bot = make_bot(TELEGRAM_API_URL=f"http://{host}:8081", FEEDS="", **{HUNG_LOOKUPS: host})
    bot.launch()
    await wait_until(lambda: host in bot.refused_lookups(), 15, "the lookup", bot)
    code, took = await bot.terminate(timeout=5)
    assert code == 0, bot.stderr_tail()
    assert took < 2.0
    assert "Traceback" not in "\n".join(bot.log_lines())


async def test_a_token_telegram_refuses_is_one_line_and_exit_code_2(
    stub: BotApiStub, make_bot: BotFactory
) -> None:
    stub.tokens = {"654321:some-other-token"}
    bot = make_bot(FEEDS="")
    bot.launch()
    code = await bot.wait(20)
    lines = bot.log_lines()
    assert code == 2, "\n".join(lines)
    assert "Traceback" not in "\n".join(lines)
    errors = [line for line in lines if "Unauthorized" in line]
    assert len(errors) == 1 and errors[0].startswith("telegram error:"), lines
    assert len(stub.calls("getMe")) == 1
