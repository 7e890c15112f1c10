"""One chat cannot hurt another: huge items in a feed neither freeze other chats' commands
(ingest or search), and a chat's own feed cannot hide or re-title a default feed's article."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from tests.e2e.conftest import (
    INTERFAX_LINK,
    INTERFAX_TITLE,
    POLL,
    BotFactory,
    FeedServer,
    alerts,
    alerts_about,
    interfax_article,
    lenta_items,
    rss_item,
    say,
    wait_until,
)
from tests.support.botapi import BotApiStub

pytestmark = pytest.mark.e2e

HEAVY = 701  # subscribes to the word in the huge items and searches them
OTHER = 702  # only types /list: must be answered within a second throughout
EVIL = 703  # adds a feed that pre-publishes a default feed's link
VICTIM = 704  # reads the default feeds only
MARKER = "Зюзякин"
HUGE_ITEMS = 20


def huge_item(n: int) -> str:
    """~100,000 characters of words no dictionary knows (all cache misses), plus the marker."""
    rng = random.Random(n)
    letters = "абвгдежзиклмнопрстуфхцчшщэюя"
    words = [MARKER]
    while sum(len(w) + 1 for w in words) < 100_000:
        words.append("".join(rng.choice(letters) for _ in range(rng.randint(6, 11))))
    return rss_item(
        f"{MARKER}: огромная новость {n}", " ".join(words), f"https://huge.example/{n}"
    )


async def list_latencies(
    stub: BotApiStub, until: asyncio.Future[object] | None, seconds: float
) -> list[float]:
    """OTHER types /list again and again until `until` is done (or `seconds` pass).

    A little over a second apart: Telegram lets a bot send one message per second to a chat,
    and the bot keeps to that, so faster commands would measure the rate limit.
    """
    took: list[float] = []
    began = time.monotonic()
    while time.monotonic() - began < seconds and not (until is not None and until.done()):
        sent = time.monotonic()
        reply = await say(stub, OTHER, "/list", timeout=30)
        took.append(time.monotonic() - sent)
        assert "Лавров" in reply.text, reply.text
        await asyncio.sleep(max(0.0, 1.1 - (time.monotonic() - sent)))
    return took


async def test_huge_items_never_keep_another_chat_waiting(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    big = feeds.add("big", lenta_items(3))
    bot = make_bot(FEEDS=big.url)  # ITEM_MAX_CHARS at its default, as an operator runs it
    await bot.start(stub)
    await say(stub, OTHER, "/sub Лавров")
    await say(stub, HEAVY, f"/sub {MARKER}")
    await feeds.wait_primed()

    big.publish(*(huge_item(n) for n in range(HUGE_ITEMS)))
    ingest = asyncio.ensure_future(
        wait_until(lambda: len(alerts(stub, HEAVY)) >= HUGE_ITEMS, 120, "the huge alerts", bot)
    )
    during_ingest = await list_latencies(stub, ingest, 120)
    await ingest

    before = len(stub.messages(HEAVY))
    stub.send_message(HEAVY, HEAVY, f"/recent {MARKER}")
    searched = asyncio.ensure_future(
        wait_until(lambda: len(stub.messages(HEAVY)) > before, 120, "the search", bot)
    )
    during_search = await list_latencies(stub, searched, 120)
    await searched
    page = stub.messages(HEAVY)[before]

    print(
        f"\nisolation: /list max {max(during_ingest):.3f}s over {len(during_ingest)} during "
        f"ingest, max {max(during_search):.3f}s over {len(during_search)} during search"
    )
    assert MARKER in page.text and "огромная новость" in page.text, page.text
    print(f"ingest: {[round(t, 2) for t in during_ingest]}")
    print(f"search: {[round(t, 2) for t in during_search]}")
    assert during_ingest and max(during_ingest) < 1.0, during_ingest
    assert during_search and max(during_search) < 1.0, during_search


async def test_a_chat_feed_pre_publishing_a_default_link_cannot_hide_the_real_alert(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    interfax = feeds.add("interfax", lenta_items(3), interfax=True)
    fake = rss_item(
        "Лавров: фальшивка", "Сергей Лавров ничего не сказал.", INTERFAX_LINK, guid="evil-1"
    )
    evil = feeds.add("evil", [fake, *lenta_items(2)])
    bot = make_bot(FEEDS=interfax.url, ALLOW_PRIVATE_FEED_HOSTS="true")
    await bot.start(stub)
    await say(stub, VICTIM, "/sub Лавров")
    await say(stub, EVIL, "/sub Лавров")
    checking = await say(stub, EVIL, f"/addfeed {evil.url}")
    await wait_until(lambda: "добавлена" in checking.text, 20, "the feed check", bot)
    await feeds.wait_primed("interfax")
    await wait_until(lambda: evil.answered >= 3, 20, "the evil feed stored", bot)

    interfax.publish(interfax_article())
    await wait_until(
        lambda: alerts_about(stub, VICTIM, INTERFAX_TITLE), 4 * POLL + 2, "the real alert", bot
    )
    await asyncio.sleep(2 * POLL)

    [real] = alerts(stub, VICTIM)
    assert INTERFAX_TITLE in real.text and "фальшивка" not in real.text
    assert len(alerts(stub, EVIL)) <= 1  # its own chat: one alert for the one story
