"""Full text of articles, in the real process: a title-only item alerts on its page's fifth
paragraph; a name only in the page's "read also" box or comments does not; a page that hangs
costs the alert at most FULLTEXT_TIMEOUT_SECONDS; a match only a late page holds alerts once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest
from aiohttp import web

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
from tests.support.feedserver import serve
from tests.support.paths import DATA

pytestmark = pytest.mark.e2e

READER = 601  # /sub Лавров: only pages name him
WITNESS = 602  # /sub Казахстан, тарифы: the leads and titles do
TIMEOUT = 2.0  # FULLTEXT_TIMEOUT_SECONDS here
LATE = TIMEOUT + 1.5  # a page that comes after the deadline, well within FETCH_TIMEOUT (5 s)
LEAD = "Вице-премьеры России и Казахстана провели переговоры в Астане."


def page(name: str) -> bytes:
    return (DATA / "pages" / name).read_bytes()


async def test_articles_are_matched_on_their_pages_within_the_timeout(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    closing = asyncio.Event()
    delays = {"grain": 0.0, "aside": 0.0, "hang": 60.0, "late": LATE}
    bodies = {"aside": page("lavrov-aside.html")}

    async def article(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if delays.get(name):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(closing.wait(), delays[name])
        body = bodies.get(name, page("lavrov-fifth.html"))
        return web.Response(body=body, content_type="text/html", charset="utf-8")

    async with serve({"/news/{name}": article}) as pages:
        feed = feeds.add("agency", lenta_items(5))
        bot = make_bot(FEEDS=feed.url, FULLTEXT_TIMEOUT_SECONDS=str(TIMEOUT))
        await bot.start(stub)
        await say(stub, READER, "/sub Лавров")
        await say(stub, WITNESS, "/sub Казахстан, тарифы")
        await feeds.wait_primed()

        # A title-only item whose page names the minister in its fifth paragraph.
        title = "Россия и Казахстан обсудили транзит зерна"
        feed.publish(rss_item(title, "", f"{pages.url}/news/grain"))
        await wait_until(lambda: alerts_about(stub, READER, title), 2 * POLL + 5, "grain", bot)
        [alert] = alerts_about(stub, READER, title)
        assert "Сергея Лаврова" in alert.text and "Лаврова" in alert.bold, alert.text
        assert alert.text.index("Вице-премьеры") < alert.text.index("Сергея Лаврова")

        # Named only in "read also" and a comment: the witness (тарифы) proves it was read.
        aside = "Россия и Казахстан обсудили тарифы на перевозку зерна"
        feed.publish(rss_item(aside, "", f"{pages.url}/news/aside"))
        await wait_until(lambda: alerts_about(stub, WITNESS, aside), 2 * POLL + 5, "aside", bot)

        # A page that hangs: the lead alerts within the timeout (and a poll).
        hung = "Переговоры в Астане: страница не отвечает"
        published = time.monotonic()
        feed.publish(rss_item(hung, LEAD, f"{pages.url}/news/hang"))
        await wait_until(
            lambda: alerts_about(stub, WITNESS, hung), 2 * POLL + TIMEOUT + 2, "hang", bot
        )
        took = time.monotonic() - published
        print(f"\nfulltext: a hanging page's item alerted {took:.2f}s after publishing")

        # A page after the deadline: the lead alerts at once, the page's match once, later.
        late = "Переговоры в Астане: страница опаздывает"
        feed.publish(rss_item(late, LEAD, f"{pages.url}/news/late"))
        await wait_until(lambda: alerts_about(stub, WITNESS, late), 2 * POLL + TIMEOUT + 2, "lead")
        assert alerts_about(stub, READER, late) == []
        await wait_until(lambda: alerts_about(stub, READER, late), LATE + 3, "late page", bot)
        await asyncio.sleep(2 * POLL + 1)  # a repeat would be here by now
        closing.set()

        assert len(alerts_about(stub, READER, late)) == 1
        assert len(alerts_about(stub, WITNESS, late)) == 1
        assert alerts_about(stub, READER, aside) == [] and alerts_about(stub, READER, hung) == []
        assert len(alerts(stub, READER)) == 2 and len(alerts(stub, WITNESS)) == 4
        await bot.terminate()
