"""A user's first day: subscribe, get the Interfax article once, look it up, unsubscribe."""

from __future__ import annotations

import asyncio
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

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("engine", ["sqlite", "postgres"])]

USER = 501
WITNESS = 502  # still subscribed at the end: proves the last item was read at all


async def test_subscribe_alert_recent_unsubscribe(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("interfax", lenta_items(5), interfax=True)
    bot = make_bot(FEEDS=feed.url)
    await bot.start(stub)

    welcome = await say(stub, USER, "/start")
    assert "/sub" in welcome.text
    saved = await say(stub, USER, "/sub Лавров, авиасообщение")
    assert saved.text.count("✅") == 2, saved.text
    await say(stub, WITNESS, "/sub Лавров")
    await feeds.wait_primed()
    assert alerts(stub) == [], "the first fetch of a feed must be silent"

    feed.publish(interfax_article())
    took = await wait_until(
        lambda: alerts_about(stub, USER, INTERFAX_TITLE), 2 * POLL + 1, "the alert", bot
    )
    assert took <= 2 * POLL + 0.5, f"alert took {took:.2f}s, poll interval {POLL}s"
    print(f"\njourney: alert {took:.2f}s after publishing (poll interval {POLL}s)")
    await asyncio.sleep(2 * POLL)  # a second alert (per query, or re-read) would be here now
    [alert] = alerts(stub, USER)
    assert INTERFAX_TITLE in alert.text
    assert "российско-американский диалог ведётся практически беспрерывно" in alert.text
    assert "Лаврова" in alert.bold and "авиасообщения" in alert.bold, alert.bold
    assert INTERFAX_LINK in alert.text or any(url == INTERFAX_LINK for _, url in alert.links)

    recent = await say(stub, USER, "/recent")
    assert INTERFAX_TITLE in recent.text, recent.text

    first = await say(stub, USER, "/unsub 1")
    assert "Лавров" in first.text and "удалена" in first.text, first.text
    second = await say(stub, USER, "/unsub авиасообщение")
    assert "авиасообщение" in second.text and "удалена" in second.text, second.text
    listing = await say(stub, USER, "/list")
    assert "Подписок пока нет" in listing.text, listing.text

    title = "Лавров обсудил возобновление прямого авиасообщения"
    feed.publish(
        rss_item(
            title,
            "Сергей Лавров снова говорил об авиасообщении.",
            "https://www.interfax.ru/russia/sample-2",
        )
    )
    began = time.monotonic()
    await wait_until(lambda: alerts_about(stub, WITNESS, title), 2 * POLL + 1, "witness", bot)
    await asyncio.sleep(max(0.0, 2 * POLL - (time.monotonic() - began)))
    assert alerts_about(stub, USER, title) == [], "alert after /unsub"
    assert len(alerts(stub, USER)) == 1
