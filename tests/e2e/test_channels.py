"""A public Telegram channel followed like a feed, by the whole bot against a local t.me.

The channel is added with /addfeed @name; its pages come from TELEGRAM_CHANNEL_PREVIEW_URL on
127.0.0.1 while the SSRF guard stays on. What it must do: stay silent on the posts already
there, alert once on a new post with the post's public t.me link and the channel as the source,
escape whatever markup a post carries, never alert again for an edited post, and show a page
in an unknown format as an error in /feeds.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.channels.site import ChannelSite, post_html, text_post_html
from tests.e2e.conftest import POLL, BotFactory, alerts, say, wait_until
from tests.support.botapi import BotApiStub

pytestmark = pytest.mark.e2e

USER = 701
TITLE = "Агентство: лента"
HEADLINE = "Срочно: <i>заявление</i> МИД & ответ"
HOSTILE = 'Лавров: <script>alert("x")</script> переговоры с <b>США</b> возможны & нужны'


@pytest.fixture
async def site() -> AsyncIterator[ChannelSite]:
    server = await ChannelSite().start()
    yield server
    await server.close()


async def feeds_until(stub: BotApiStub, marker: str, timeout: float) -> str:  # noqa: ASYNC109
    """/feeds, asked again each second until its reply shows `marker`; that reply."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        text = (await say(stub, USER, "/feeds")).text
        if marker in text or loop.time() > deadline:
            return text
        await asyncio.sleep(1)


async def test_a_channel_alerts_new_posts_with_their_tme_links_and_shows_a_format_change(
    stub: BotApiStub, site: ChannelSite, make_bot: BotFactory
) -> None:
    channel = site.add("agency_demo", TITLE, ("Лавров прилетел в Анкару", "Погода на выходные"))
    bot = make_bot(FEEDS="", TELEGRAM_CHANNEL_PREVIEW_URL=site.base)
    await bot.start(stub)
    await say(stub, USER, "/sub Лавров")

    checking = await say(stub, USER, "/addfeed @agency_demo")
    await wait_until(lambda: "добавлен" in checking.text, 20, "the channel check", bot)
    assert f"Канал {TITLE} добавлен" in checking.text
    # The check read the page once; a poll after the first (silent) one proves it was stored.
    await wait_until(lambda: channel.answered >= 3, 4 * POLL + 5, "the channel primed", bot)
    assert alerts(stub) == [], "the posts already on the page must not alert"

    post_id = channel.publish(f"{HEADLINE}\n{HOSTILE}")
    await wait_until(lambda: alerts(stub, USER), 4 * POLL + 5, "the post's alert", bot)
    [alert] = alerts(stub, USER)
    link = f"https://t.me/agency_demo/{post_id}"
    assert link in alert.text or any(url == link for _, url in alert.links), alert.text
    assert TITLE in alert.text
    assert alert.text.startswith(HEADLINE + "\n"), alert.text  # markup shown as text: escaped
    assert '<script>alert("x")</script>' in alert.text
    assert "Лавров" in alert.bold

    # Edited: same post, new words, the «edited» mark: never a second alert.
    edited = text_post_html(f"{HEADLINE}\n{HOSTILE}\nЛавров уточнил позицию")
    channel.posts[-1] = post_html("agency_demo", post_id, edited).replace(
        '<span class="tgme_widget_message_meta">', '<span class="tgme_widget_message_meta">edited '
    )
    seen = channel.answered
    await wait_until(lambda: channel.answered >= seen + 2, 4 * POLL + 5, "two polls", bot)
    await asyncio.sleep(POLL)
    assert len(alerts(stub, USER)) == 1

    channel.mode = "redesigned"
    listing = await feeds_until(stub, "format changed", 4 * POLL + 5)
    line = next(line for line in listing.split("\n") if TITLE in line)
    assert line.startswith("🔴") and "Telegram channel page format changed" in line, line
    code, _ = await bot.terminate()
    assert code == 0, bot.stderr_tail()
