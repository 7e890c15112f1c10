"""Many chats at once under Telegram's limits, switched on in the stand-in before the first update.

- 1,000 chats × 3 subscriptions, 50 feeds × 20 new items: every alert exactly once, a probe
  chat's /list answered within a second throughout.
- 300 chats sending /sub in the same second: every reply arrives (counted), then their alert
  burst is drained within 1.5× the ideal time at DELIVERY_RATE, with no 429 at any point.

Every chat subscribes through the chat interface. Items carry a code word (`n0042`: words with
digits match only whole, so the expectation is obvious) and every hundredth one mentions an
earthquake in an inflected form; the expectation is also recomputed with the matching engine
itself, so the test checks the process against the engine, not against a hand-written copy.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict

import pytest

from bot.matching import Analyzer, SubscriptionIndex, parse_query
from bot.matching import item_text as matched_text
from tests.e2e.conftest import (
    BotFactory,
    FeedServer,
    alerts,
    lenta_items,
    rss_item,
    say,
    wait_until,
)
from tests.support.botapi import BotApiStub

pytestmark = pytest.mark.e2e

CHATS = 1000
FEEDS = 50
PER_FEED = 20
FIRST_CHAT = 10_000
PROBE = 99_999  # a chat with no subscriptions that keeps asking for /list
RSS_CEILING_KB = 400 * 1024
DELIVERY_BUDGET = 90.0  # seconds; ~1,200 alerts at DELIVERY_RATE=28 need ~45


def code(i: int) -> str:
    return f"n{i:04d}"


def queries(j: int) -> list[str]:
    """Chat j: its own item, for a hundred chats a second one, and a word few items have."""
    second = code((j + 500) % CHATS) if j < 100 else f"x{j:04d}"
    third = "землетрясение" if j % 100 == 0 else "вулкан"
    return [code(j), second, third]


def item_text(i: int) -> tuple[str, str]:
    text = f"Сводка {code(i)}: обычные новости дня без особых событий."
    if i % 100 == 0:
        text += " Сообщают о последствиях землетрясения."
    return f"Сводка {code(i)}", text


def expected_by_hand() -> dict[int, set[str]]:
    wanted: dict[int, set[str]] = {}
    for j in range(CHATS):
        titles = {f"Сводка {code(j)}"}
        if j < 100:
            titles.add(f"Сводка {code(j + 500)}")
        if j % 100 == 0:
            titles |= {f"Сводка {code(i)}" for i in range(0, CHATS, 100)}
        wanted[FIRST_CHAT + j] = titles
    return wanted


def expected_by_engine() -> dict[int, set[str]]:
    analyzer = Analyzer()
    index = SubscriptionIndex()
    owner: dict[int, int] = {}
    for j in range(CHATS):
        for q in queries(j):
            key = len(owner)
            owner[key] = FIRST_CHAT + j
            index.add(key, parse_query(q, analyzer))
    wanted: dict[int, set[str]] = defaultdict(set)
    for i in range(FEEDS * PER_FEED):
        title, text = item_text(i)
        for key in index.match(analyzer.document(matched_text(title, text))):
            wanted[owner[key]].add(title)
    return dict(wanted)


async def test_a_thousand_chats_fifty_feeds(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    expected = expected_by_hand()
    assert expected_by_engine() == expected
    total = sum(map(len, expected.values()))

    for f in range(FEEDS):
        feeds.add(f"agency{f:02d}", lenta_items(1, start=f))
    bot = make_bot(FEEDS=",".join(feeds.urls()), DELIVERY_RATE="28", ALERTS_PER_HOUR="100")
    stub.enable_limits()  # 30 messages/s overall, 1/s per chat, as Telegram, from the start
    await bot.start(stub)

    began = time.monotonic()
    for j in range(CHATS):
        stub.send_message(FIRST_CHAT + j, FIRST_CHAT + j, "/sub " + ", ".join(queries(j)))
    await wait_until(
        lambda: all(stub.messages(FIRST_CHAT + j) for j in range(CHATS)), 60, "/sub replies", bot
    )
    subscribing = time.monotonic() - began
    for j in (0, 1, 99, 100, 999):
        assert stub.messages(FIRST_CHAT + j)[0].text.count("✅") == 3
    await feeds.wait_primed(timeout=30)

    began = time.monotonic()
    for f in range(FEEDS):
        feeds.feeds[f"agency{f:02d}"].publish(
            *(
                rss_item(*item_text(i), f"https://agency{f:02d}.example/{i}")
                for i in range(f * PER_FEED, (f + 1) * PER_FEED)
            )
        )

    def received() -> int:
        return len(alerts(stub))

    probes: list[float] = []
    while received() < total and time.monotonic() - began < DELIVERY_BUDGET:
        asked = time.monotonic()
        await say(stub, PROBE, "/list", timeout=5)
        probes.append(time.monotonic() - asked)
        await asyncio.sleep(2.0)
    await wait_until(lambda: received() >= total, DELIVERY_BUDGET, "every alert", bot)
    delivering = time.monotonic() - began
    await asyncio.sleep(2.0)  # room for a repeat
    peak_kb = bot.status("VmHWM")
    code_, _ = await bot.terminate()

    got: dict[int, Counter[str]] = defaultdict(Counter)
    for message in alerts(stub):
        got[message.chat_id][message.text.split("\n", 1)[0]] += 1
    assert {chat: set(c) for chat, c in got.items()} == expected
    repeats = {chat: c for chat, c in got.items() if max(c.values()) > 1}
    assert repeats == {}
    assert all("Подписок пока нет" in m.text for m in stub.messages(PROBE))
    assert probes and max(probes) < 1.0, probes
    assert peak_kb < RSS_CEILING_KB, f"peak RSS {peak_kb // 1024} MB"
    assert code_ == 0
    print(
        f"\nload: {CHATS} chats subscribed in {subscribing:.1f}s; {total} alerts delivered in "
        f"{delivering:.1f}s ({total / delivering:.1f}/s); 429s: {stub.count_429}; "
        f"/list answered in max {max(probes):.3f}s over {len(probes)} probes; "
        f"peak RSS {peak_kb / 1024:.0f} MB; probes {[round(p, 2) for p in probes]}"
    )


BURST_CHATS = 300
BURST_FIRST_CHAT = 30_000
BURST_FEEDS = 30
RATE = 28.0


def burst_code(i: int) -> str:
    return f"b{i:04d}"


async def test_three_hundred_chats_subscribing_at_once_all_get_their_reply_then_alerts(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    total = 2 * BURST_CHATS  # chat j reads item j and item j + 300
    per_feed = total // BURST_FEEDS
    for f in range(BURST_FEEDS):
        feeds.add(f"wire{f:02d}", lenta_items(1, start=f))
    bot = make_bot(FEEDS=",".join(feeds.urls()), DELIVERY_RATE=f"{RATE:g}")
    stub.enable_limits()
    await bot.start(stub)
    chats = [BURST_FIRST_CHAT + j for j in range(BURST_CHATS)]

    began = time.monotonic()
    for j, chat in enumerate(chats):
        stub.send_message(chat, chat, f"/sub {burst_code(j)}, {burst_code(j + BURST_CHATS)}")

    def replied() -> int:
        return sum(1 for chat in chats if stub.messages(chat))

    await wait_until(lambda: replied() == BURST_CHATS, 60, "a reply in every chat", bot)
    answering = time.monotonic() - began
    replies = [m for chat in chats for m in stub.messages(chat)]
    assert len(replies) == BURST_CHATS  # one each: none lost, none doubled
    assert all(m.text.count("✅") == 2 for m in replies)
    assert stub.count_429 == 0
    await feeds.wait_primed(timeout=30)

    for f in range(BURST_FEEDS):
        first = f * per_feed
        feeds.feeds[f"wire{f:02d}"].publish(
            *(
                rss_item(
                    f"Сводка {burst_code(i)}",
                    f"Новости {burst_code(i)}.",
                    f"https://w.example/{i}",
                )
                for i in range(first, first + per_feed)
            )
        )
    await wait_until(lambda: len(alerts(stub)) >= total, 120, "every alert", bot)
    await asyncio.sleep(1.0)  # room for a repeat
    code_, _ = await bot.terminate()

    got = alerts(stub)
    assert len(got) == total
    assert {(m.chat_id, m.text.split("\n", 1)[0]) for m in got} == {
        (chat, f"Сводка {burst_code(j + k * BURST_CHATS)}")
        for j, chat in enumerate(chats)
        for k in (0, 1)
    }
    stamps = sorted(m.at for m in got)
    draining = stamps[-1] - stamps[0]
    ideal = total / RATE
    assert draining <= 1.5 * ideal, f"{total} alerts took {draining:.1f}s, ideal {ideal:.1f}s"
    assert stub.count_429 == 0
    assert code_ == 0
    print(
        f"\nburst: {BURST_CHATS} /sub replies in {answering:.1f}s, all delivered; {total} alerts "
        f"drained in {draining:.1f}s (ideal {ideal:.1f}s, {total / draining:.1f}/s); "
        f"429s: {stub.count_429}"
    )
