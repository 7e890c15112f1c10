"""Stopping the process, politely or not, loses no alert and repeats none (bar one window).

The window is the one the README documents: Telegram accepted a message and the process died
before it recorded that; the row is still pending, so that one alert goes out again.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import pytest

from tests.e2e.conftest import (
    POLL,
    BotFactory,
    FeedServer,
    alerts,
    alerts_about,
    lenta_items,
    rss_item,
    say,
    wait_until,
)
from tests.support.botapi import BotApiStub
from tests.support.offline import HUNG_LOOKUPS
from tests.support.records import SentMessage

pytestmark = pytest.mark.e2e

USER = 601


def oil_item(n: int) -> str:
    return rss_item(
        f"Нефть, сводка №{n}",
        f"Цены на нефть изменились; это сводка номер {n}.",
        f"https://wire.example/oil/{n}",
    )


def titles(messages: list[SentMessage]) -> Counter[str]:
    return Counter(m.text.split("\n", 1)[0] for m in messages)


async def test_sigterm_saves_work_and_restart_alerts_what_came_meanwhile(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("wire", lenta_items(5))
    bot = make_bot(FEEDS=feed.url)
    await bot.start(stub)
    await say(stub, USER, "/sub нефть")
    await feeds.wait_primed()
    feed.publish(oil_item(1))
    await wait_until(lambda: alerts(stub, USER), 2 * POLL + 1, "alert 1", bot)

    code, took = await bot.terminate(timeout=5.0)
    assert code == 0, bot.stderr_tail()
    assert took < 5.0
    print(f"\nSIGTERM: exit 0 after {took:.2f}s")

    feed.publish(oil_item(2), oil_item(3))  # while the bot is down
    await bot.start(stub)
    await wait_until(lambda: len(alerts(stub, USER)) >= 3, 3 * POLL + 5, "alerts 2, 3", bot)
    await asyncio.sleep(3 * POLL)  # room for a repeat to show up
    assert titles(alerts(stub, USER)) == {f"Нефть, сводка №{n}": 1 for n in (1, 2, 3)}
    feed.publish(oil_item(4))
    await wait_until(lambda: alerts_about(stub, USER, "№4"), 2 * POLL + 1, "alert 4", bot)
    code, _ = await bot.terminate(timeout=5.0)
    assert code == 0


async def test_a_resolver_that_never_answers_holds_neither_the_alert_nor_the_stop(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    # The feed gives leads only, so the bot reads the article's page, on a host whose lookup
    # hangs for a minute (tests/support/offline.py).
    feed = feeds.add("wire", lenta_items(5))
    settings = {"FEEDS": feed.url, "FULLTEXT_TIMEOUT_SECONDS": "2", HUNG_LOOKUPS: "slow.example"}
    bot = make_bot(**settings)
    await bot.start(stub)
    await say(stub, USER, "/sub нефть")
    await feeds.wait_primed()
    feed.publish(rss_item("Нефть подорожала", "Цены на нефть выросли.", "https://slow.example/1"))
    await wait_until(lambda: alerts(stub, USER), 2 * POLL + 2 + 3, "the alert, from the lead", bot)
    assert "slow.example" in bot.refused_lookups()  # asked, and still hanging

    code, took = await bot.terminate(timeout=5.0)
    assert code == 0, bot.stderr_tail()
    print(f"\nSIGTERM with a lookup hanging: exit 0 after {took:.2f}s")


CHATS = (701, 702, 703, 704)
ITEMS = 20


async def test_sigkill_during_a_backlog_loses_nothing(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("wire", lenta_items(5))
    bot = make_bot(FEEDS=feed.url)
    await bot.start(stub)
    for chat in CHATS:
        await say(stub, chat, "/sub нефть")
    await feeds.wait_primed()
    stub.enable_limits()  # 1 message/s per chat: 20 alerts each take ~20 s to drain
    feed.publish(*(oil_item(n) for n in range(ITEMS)))
    await wait_until(lambda: len(alerts(stub)) >= 3 * len(CHATS), 15, "a backlog", bot)

    await bot.kill()
    before_kill = {chat: alerts(stub, chat) for chat in CHATS}
    assert sum(map(len, before_kill.values())) < ITEMS * len(CHATS), "killed too late"

    await bot.start(stub)
    expected = {f"Нефть, сводка №{n}" for n in range(ITEMS)}
    began = time.monotonic()
    await wait_until(
        lambda: all(set(titles(alerts(stub, c))) == expected for c in CHATS),
        ITEMS + 20,
        "every alert after the restart",
        bot,
    )
    drained = time.monotonic() - began
    await asyncio.sleep(2.0)  # room for a late repeat
    code, _ = await bot.terminate()
    assert code == 0

    repeats = 0
    for chat in CHATS:
        counts = titles(alerts(stub, chat))
        repeated = [title for title, n in counts.items() if n > 1]
        assert set(counts) == expected
        assert len(repeated) <= 1, f"chat {chat}: more than one repeat per kill: {repeated}"
        if repeated:  # only the alert in flight at the kill: the chat's last one before it
            last = before_kill[chat][-1].text.split("\n", 1)[0]
            assert repeated == [last], f"chat {chat}: {repeated} repeated, last was {last}"
            assert counts[last] == 2
            repeats += 1
    print(f"\nbacklog drained {drained:.1f}s after the restart; repeats: {repeats}")
