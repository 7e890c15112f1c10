"""The bot answers its first update as soon as it can after it starts."""

from __future__ import annotations

import time

import pytest

from tests.e2e.conftest import BotFactory, FeedServer, lenta_items, wait_until
from tests.support.botapi import BotApiStub

pytestmark = pytest.mark.e2e

USER = 701


async def test_a_message_waiting_at_start_is_answered_as_soon_as_the_bot_polls(
    stub: BotApiStub, make_bot: BotFactory, feeds: FeedServer
) -> None:
    feed = feeds.add("lenta", lenta_items(20))
    stub.send_message(USER, USER, "/start")  # already waiting when the process starts
    bot = make_bot(FEEDS=feed.url)
    started = time.monotonic()  # the stand-in stamps calls on the same monotonic clock
    bot.launch()
    await wait_until(lambda: bool(stub.messages(USER)), 30.0, "the first answer", bot)
    first_poll = stub.calls("getUpdates")[0].at
    answered = stub.messages(USER)[0].at
    print(
        f"first answer {answered - started:.2f} s after the process started, "
        f"{answered - first_poll:.2f} s after its first getUpdates"
    )
    # Start-up work (the feeds' first fetch, the command menu) never sits between the first
    # poll and the answer; what comes before the first poll is mostly importing aiogram.
    assert answered - first_poll < 1.0
    assert answered - started < 10.0
    code, _ = await bot.terminate()
    assert code == 0
