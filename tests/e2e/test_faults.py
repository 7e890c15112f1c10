"""Faults on both sides: Telegram refusing or dropping sends, feeds failing or hanging."""

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
    lenta_items,
    rss_item,
    say,
    wait_until,
)
from tests.support.botapi import BotApiStub
from tests.support.records import SentMessage

pytestmark = pytest.mark.e2e


def item(feed: str, n: int) -> str:
    return rss_item(
        f"Нефть: {feed} №{n}",
        f"Рынок нефти, {feed}, сообщение {n}.",
        f"https://{feed}.example/{n}",
    )


def titles(messages: list[SentMessage]) -> Counter[str]:
    return Counter(m.text.split("\n", 1)[0] for m in messages)


FLOODED, FAILING, DROPPED, BLOCKED, ADMIN = 801, 802, 803, 804, 900
GOOD = (FLOODED, FAILING, DROPPED)


async def test_telegram_faults_deliver_everything_and_the_blocked_chat_goes_quiet(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("wire", lenta_items(5))
    bot = make_bot(FEEDS=feed.url, ADMIN_IDS=str(ADMIN))
    await bot.start(stub)
    for chat in (*GOOD, BLOCKED):
        await say(stub, chat, "/sub нефть")
    await feeds.wait_primed()

    stub.block_chat(BLOCKED)
    stub.fail_next("sendMessage", 3, "429", retry_after=1, chat_id=FLOODED)  # a 429 burst
    stub.fail_next("sendMessage", 1, "drop", chat_id=FLOODED)  # connection lost, not sent
    stub.fail_next("sendMessage", 1, "500", chat_id=FAILING)
    stub.fail_next("sendMessage", 1, "502", chat_id=FAILING)
    # Sent, but the reply is lost: the bot cannot know, retries, and the chat sees it twice.
    stub.fail_next("sendMessage", 1, "drop_after", chat_id=DROPPED)
    feed.publish(*(item("wire", n) for n in range(5)))
    first = {f"Нефть: wire №{n}" for n in range(5)}
    await wait_until(
        lambda: all(set(titles(alerts(stub, c))) >= first for c in GOOD), 30, "batch 1", bot
    )

    feed.publish(*(item("wire", n) for n in range(5, 7)))  # after the block was noticed
    every = {f"Нефть: wire №{n}" for n in range(7)}
    await wait_until(
        lambda: all(set(titles(alerts(stub, c))) == every for c in GOOD), 30, "batch 2", bot
    )
    await asyncio.sleep(2 * POLL)

    assert titles(alerts(stub, FLOODED)) == dict.fromkeys(every, 1)
    assert titles(alerts(stub, FAILING)) == dict.fromkeys(every, 1)
    dropped = titles(alerts(stub, DROPPED))
    assert set(dropped) == every and sorted(dropped.values()) == [1] * 6 + [2], dropped
    assert stub.messages(BLOCKED)[1:] == []  # only the /sub reply, before the block
    assert len(stub.calls("sendMessage")) > 0
    refused = [c for c in stub.calls("sendMessage") if c.chat_id == BLOCKED and not c.ok]
    assert len(refused) == 1, "a blocked chat is tried once, then never again"

    stats = await say(stub, ADMIN, "/stats")
    assert "ждут 0" in stats.text and "не доставлено 0" in stats.text, stats.text
    assert "отправлено 21" in stats.text, stats.text

    # Unblocked, the user writes again: new alerts resume; the cancelled ones stay cancelled.
    stub.restore_chat(BLOCKED)
    await say(stub, BLOCKED, "/start")
    feed.publish(item("wire", 7))
    await wait_until(lambda: alerts(stub, BLOCKED), 2 * POLL + 2, "alerts resumed", bot)
    await asyncio.sleep(POLL)
    assert list(titles(alerts(stub, BLOCKED)).items()) == [("Нефть: wire №7", 1)]


# Each feed has its own topic and its own reader, so one chat's 1 message/s limit does not
# stand between a feed and its alert.
TOPICS = {"steady1": "золото", "steady2": "пшеница", "flappy": "нефть", "stuck": "газ"}
READERS = {"steady1": 821, "steady2": 822, "flappy": 823, "stuck": 824}
STEADY = ("steady1", "steady2")


def topical(feed: str, n: int) -> str:
    word = TOPICS[feed]
    return rss_item(
        f"{word.capitalize()}: {feed} №{n}",
        f"Рынок: {word}, {feed}, сообщение {n}.",
        f"https://{feed}.example/{n}",
    )


async def test_failing_and_hanging_feeds_do_not_hold_up_the_others(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    for n, name in enumerate(TOPICS):
        feeds.add(name, lenta_items(3, start=3 * n))
    bot = make_bot(FEEDS=",".join(feeds.urls()), FETCH_TIMEOUT="2")
    await bot.start(stub)
    for name, chat in READERS.items():
        await say(stub, chat, f"/sub {TOPICS[name]}")
    await feeds.wait_primed()
    feeds.feeds["flappy"].mode = "flap"  # ok, 500, garbage, ok, …
    feeds.feeds["stuck"].mode = "hang"  # answers after 30 s; the bot gives up after 2

    def got(name: str) -> set[str]:
        return set(titles(alerts(stub, READERS[name])))

    latencies: list[float] = []
    for n in range(3):
        for name in TOPICS:
            feeds.feeds[name].publish(topical(name, n))
        began = time.monotonic()
        marker = f"№{n}"
        await wait_until(
            lambda: all(any(marker in t for t in got(s)) for s in STEADY),  # noqa: B023
            2 * POLL + 1,
            f"round {n}",
            bot,
        )
        latencies.append(time.monotonic() - began)
        await asyncio.sleep(POLL)
    assert max(latencies) <= 2 * POLL + 0.5, latencies

    def everything(name: str) -> set[str]:
        return {f"{TOPICS[name].capitalize()}: {name} №{n}" for n in range(3)}

    await wait_until(lambda: got("flappy") == everything("flappy"), 30, "flappy", bot)
    assert feeds.feeds["flappy"].requests >= 4  # it did fail in between
    assert feeds.feeds["stuck"].requests >= 2  # retried, with backoff

    listing = await say(stub, READERS["stuck"], "/feeds")
    stuck_line = next(line for line in listing.text.splitlines() if "stuck" in line)
    assert "ошибка" in stuck_line, listing.text
    assert alerts(stub, READERS["stuck"]) == []
    for name in ("steady1", "steady2", "flappy"):
        counts = titles(alerts(stub, READERS[name]))
        assert counts == dict.fromkeys(everything(name), 1), (name, counts)
    print(f"steady feeds alerted within {max(latencies):.2f}s of publishing")
