"""Which items cost a page: only new ones about to be matched, never the first fetch's backlog
or what is stored already; and a page being waited for holds no poller slot."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from bot.feeds import Fetcher, FetchLimits, make_session
from bot.poller import FeedPoller
from storage import FullTextMode, Repository
from tests.conftest import NOW
from tests.fulltext.conftest import Desk, Route, Site, page, title_only

TITLE = "Россия и Казахстан обсудили транзит зерна"


async def test_the_silent_first_fetch_reads_no_pages(desk: Desk, site: Site) -> None:
    site.routes["grain"] = Route(page("lavrov-fifth.html"))
    await desk.subscribe(1, "Лавров")
    feed = await desk.default_feed()

    item = title_only(TITLE, f"{site.url}/news/grain")
    await desk.ingestor.ingest(feed.id, [item], NOW, alert=False, feed=feed)

    assert site.routes["grain"].hits == 0 and await desk.alerts() == []


async def test_an_item_already_stored_is_not_read_again(desk: Desk, site: Site) -> None:
    site.routes["grain"] = Route(page("lavrov-fifth.html"))
    await desk.subscribe(1, "Лавров")
    feed = await desk.default_feed()
    item = title_only(TITLE, f"{site.url}/news/grain")

    assert await desk.ingest(feed, item) == 1
    assert await desk.ingest(feed, item) == 0
    assert site.routes["grain"].hits == 1


async def test_a_feed_set_to_never_reads_no_pages(desk: Desk, site: Site) -> None:
    site.routes["grain"] = Route(page("lavrov-fifth.html"))
    await desk.subscribe(1, "Лавров")
    feed = await desk.default_feed()
    assert await desk.repo.feeds.set_fulltext_mode(feed.id, FullTextMode.NEVER)
    feed = await desk.repo.feeds.get(feed.id) or feed

    assert await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/grain")) == 0
    assert site.routes["grain"].hits == 0


async def test_a_feed_giving_full_texts_reads_no_pages_in_auto(desk: Desk, site: Site) -> None:
    site.routes["grain"] = Route(page("lavrov-fifth.html"))
    await desk.subscribe(1, "Лавров")
    feed = await desk.default_feed()
    full = "Полный текст новости о переговорах. " * 50

    assert await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/grain", text=full)) == 0
    assert site.routes["grain"].hits == 0


async def test_a_feeds_mode_is_stored_and_starts_as_auto(repo: Repository) -> None:
    await repo.feeds.sync_defaults(["https://agency.example/rss"], NOW)
    feed = await repo.feeds.get_by_url("https://agency.example/rss")
    assert feed is not None and feed.fulltext_mode == FullTextMode.AUTO
    assert feed.page_ok_at is None and feed.page_error is None

    assert await repo.feeds.set_fulltext_mode(feed.id, FullTextMode.ALWAYS)
    assert not await repo.feeds.set_fulltext_mode(feed.id + 100, FullTextMode.ALWAYS)
    again = await repo.feeds.get(feed.id)
    assert again is not None and again.fulltext_mode == FullTextMode.ALWAYS


def rss(site: Site, name: str, n: int) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Лента</title>'
        f"<item><guid>{name}-{n}</guid><title>{TITLE}</title>"
        f"<link>{site.url}/news/{name}-page{n}</link></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("desk_wait", [30.0])
async def test_a_page_being_waited_for_holds_no_poller_slot(
    desk: Desk, site: Site, repo: Repository
) -> None:
    """One poller slot; feed A's new item's page hangs: feed B, due after A, is still fetched
    and alerted meanwhile."""
    site.routes["a"] = Route(rss(site, "a", 1), content_type="application/rss+xml")
    site.routes["b"] = Route(rss(site, "b", 1), content_type="application/rss+xml")
    site.routes["a-page2"] = Route(page("lavrov-fifth.html"), delay=30)
    site.routes["b-page2"] = Route(page("lavrov-fifth.html"))
    await desk.subscribe(1, "Лавров")
    urls = [f"{site.url}/news/a", f"{site.url}/news/b"]
    await repo.feeds.sync_defaults(urls, NOW)
    clock = [NOW]
    limits = FetchLimits(total_timeout=5)
    async with make_session(limits) as session:
        fetcher = Fetcher(session, limits)
        poller = FeedPoller(
            repo,
            desk.ingestor,
            for_defaults=fetcher,
            for_chat_feeds=fetcher,
            interval=120,
            concurrency=1,
            clock=lambda: clock[0],
            rng=random.Random(1),
        )
        for n, url in enumerate(urls):  # the silent first fetches; B falls due after A
            clock[0] = NOW + timedelta(minutes=10 * n)
            feed = await repo.feeds.get_by_url(url)
            assert feed is not None
            await poller.poll_feed(feed)
        site.routes["a"].body = rss(site, "a", 2)
        site.routes["b"].body = rss(site, "b", 2)
        clock[0] = NOW + timedelta(days=1)

        polls = await poller.poll_due()
        assert len(polls) == 2
        polling_a, polling_b = polls
        await asyncio.wait_for(site.routes["a-page2"].requested.wait(), 10)
        outcome = await asyncio.wait_for(polling_b, 10)

        assert outcome.deliveries == 1 and not polling_a.done()
        await poller.stop()
