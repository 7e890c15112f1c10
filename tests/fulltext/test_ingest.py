"""The full-text step in ingest, against article pages served from 127.0.0.1.

A title-only item alerts on what its page says; what the page's "read also" box or comments
say does not count; a page that hangs costs the alert at most the timeout, and a match that
only a late page holds still alerts once; a chat's feed cannot reach a private address through
its items' pages; huge or mis-declared pages are capped and read.
"""

from __future__ import annotations

import asyncio
import time

from bot.alerts.view import alert_view
from bot.feeds import FetchLimits
from bot.fulltext import Page
from bot.matching import Analyzer
from storage import Repository
from tests.fulltext.conftest import TIMEOUT, Desk, Route, Site, make_desk, page, title_only

FIFTH = "Итоги переговоров, как ожидается, будут доложены в аппарат министра"
TITLE = "Россия и Казахстан обсудили транзит зерна"


async def wait_for_alerts(desk: Desk, count: int, within: float = 5.0) -> None:
    began = time.monotonic()
    while len(await desk.alerts()) < count:
        assert time.monotonic() - began < within, f"fewer than {count} alerts"
        await asyncio.sleep(0.02)


async def test_a_title_only_item_alerts_on_the_name_in_the_fifth_paragraph_of_its_page(
    desk: Desk, site: Site, analyzer: Analyzer
) -> None:
    site.routes["grain"] = Route(page("lavrov-fifth.html"))
    await desk.subscribe(1, "Лавров")
    feed = await desk.default_feed()

    queued = await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/grain"))

    assert queued == 1
    [alert] = await desk.alerts()
    assert alert.chat_id == 1 and alert.matched_queries == ("Лавров",)
    item = await desk.repo.items.get(alert.item_id)
    assert item is not None and FIFTH in item.text
    summary = alert_view(item, alert.matched_queries, analyzer).summary
    assert summary.text.startswith("Вице-премьеры России и Казахстана")  # the lead
    assert "Сергея Лаврова" in summary.text
    assert "<b>Лаврова</b>" in summary.to_html()
    assert "Читайте также" not in item.text and "cookie" not in item.text


async def test_a_name_only_in_the_read_also_box_or_the_comments_does_not_alert(
    desk: Desk, site: Site
) -> None:
    site.routes["tariffs"] = Route(page("lavrov-aside.html"))
    await desk.subscribe(1, "Лавров")
    await desk.subscribe(2, "тарифы")
    feed = await desk.default_feed()

    await desk.ingest(feed, title_only("Обсуждены тарифы на зерно", f"{site.url}/news/tariffs"))

    assert [a.chat_id for a in await desk.alerts()] == [2]  # the page was read, Лавров not in it
    item = await desk.repo.items.get((await desk.alerts())[0].item_id)
    assert item is not None and "Лавров" not in item.text and "Оренбурге" in item.text


async def test_a_hanging_page_lets_the_item_alert_on_its_lead_within_the_timeout(
    desk: Desk, site: Site
) -> None:
    site.routes["slow"] = Route(page("lavrov-fifth.html"), delay=30)
    await desk.subscribe(1, "Казахстан")
    feed = await desk.default_feed()
    lead = "Вице-премьеры России и Казахстана провели переговоры в Астане."

    began = time.monotonic()
    queued = await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/slow", text=lead))
    took = time.monotonic() - began

    assert queued == 1
    assert TIMEOUT <= took < TIMEOUT + 1.0, took
    [alert] = await desk.alerts()
    item = await desk.repo.items.get(alert.item_id)
    assert item is not None and item.text == lead


async def test_a_page_after_the_timeout_alerts_once_those_it_alone_matches(
    desk: Desk, site: Site
) -> None:
    site.routes["late"] = Route(page("lavrov-fifth.html"), delay=TIMEOUT + 0.5)
    await desk.subscribe(1, "Лавров")  # only the page names him
    await desk.subscribe(2, "Казахстан")  # the lead does: alerted at once, nothing more later
    feed = await desk.default_feed()
    lead = "Вице-премьеры России и Казахстана провели переговоры в Астане."

    queued = await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/late", text=lead))

    assert queued == 1 and [a.chat_id for a in await desk.alerts()] == [2]
    await wait_for_alerts(desk, 2)
    await asyncio.sleep(0.3)  # anything more would be here by now
    alerts = await desk.alerts()
    assert sorted((a.chat_id, a.matched_queries) for a in alerts) == [
        (1, ("Лавров",)),
        (2, ("Казахстан",)),
    ]
    assert desk.woken == 1
    item = await desk.repo.items.get(alerts[0].item_id)
    assert item is not None and FIFTH in item.text and item.text.startswith("Вице-премьеры")
    # A page read once more (a retry, a race) queues nothing for chats already alerted.
    again = Page(item.text + "\nСергей Лавров прилетит в Астану.")
    assert await desk.ingestor.complete_late(item, lead, again) == 0
    assert len(await desk.alerts()) == 2


async def test_a_chat_feeds_page_redirecting_to_a_loopback_address_is_refused(
    repo: Repository, analyzer: Analyzer, site: Site
) -> None:
    port = site.server.port if site.server else 0
    site.routes["jump"] = Route(redirect=f"http://127.0.0.1:{port}/news/inside")
    site.routes["inside"] = Route(page("lavrov-fifth.html"))
    # news.example.com stands for a public site (trusted so the first hop reaches the test
    # server); the redirect's target gets the guard's full check.
    async for desk in make_desk(repo, analyzer, site, dns={"news.example.com": ["127.0.0.1"]}):
        await desk.subscribe(1, "Казахстан", "Лавров")
        feed = await desk.chat_feed(1)
        lead = "Вице-премьеры России и Казахстана провели переговоры в Астане."
        link = f"http://news.example.com:{port}/news/jump"

        queued = await desk.ingest(feed, title_only(TITLE, link, text=lead))

        assert queued == 1
        [alert] = await desk.alerts()
        assert alert.matched_queries == ("Казахстан",)  # on the lead; the page was never read
        assert site.routes["jump"].hits == 1 and site.routes["inside"].hits == 0
        stored = await desk.repo.feeds.get(feed.id)
        assert stored is not None and stored.page_error is not None
        assert "loopback" in stored.page_error


async def test_an_operators_feed_reads_its_pages_through_the_trusted_fetcher(
    desk: Desk, site: Site
) -> None:
    site.routes["grain"] = Route(page("lavrov-fifth.html"))
    await desk.subscribe(1, "Лавров")
    feed = await desk.default_feed()  # its page is on 127.0.0.1: the operator's own choice

    assert await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/grain")) == 1
    stored = await desk.repo.feeds.get(feed.id)
    assert stored is not None and stored.page_ok_at is not None and stored.page_error is None


async def test_a_page_over_the_size_cap_is_refused_and_the_item_alerts_on_its_lead(
    repo: Repository, analyzer: Analyzer, site: Site
) -> None:
    huge = page("lavrov-fifth.html").replace(b"</main>", b"<p>" + b"x" * 300_000 + b"</p></main>")
    site.routes["huge"] = Route(huge)
    async for desk in make_desk(repo, analyzer, site, limits=FetchLimits(max_bytes=100_000)):
        await desk.subscribe(1, "Казахстан", "Лавров")
        feed = await desk.default_feed()
        lead = "Вице-премьеры России и Казахстана провели переговоры в Астане."

        assert await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/huge", text=lead)) == 1

        [alert] = await desk.alerts()
        assert alert.matched_queries == ("Казахстан",)
        stored = await desk.repo.feeds.get(feed.id)
        assert stored is not None and "larger than" in (stored.page_error or "")


async def test_a_long_article_is_cut_to_the_full_text_cap(
    repo: Repository, analyzer: Analyzer, site: Site
) -> None:
    more = "".join(
        f"<p>Пункт {n} протокола касается поставок зерна в регион номер {n}.</p>"
        for n in range(400)
    )
    end = b'</div>\n  <div class="article__tags">'
    long = page("lavrov-fifth.html").replace(end, more.encode() + end)
    site.routes["long"] = Route(long)
    async for desk in make_desk(repo, analyzer, site, max_chars=2_000):
        await desk.subscribe(1, "Лавров")
        feed = await desk.default_feed()

        queued = await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/long"))
        assert queued == 1

        [alert] = await desk.alerts()
        item = await desk.repo.items.get(alert.item_id)
        assert item is not None and len(item.text) <= 2_000 and item.text.endswith("…")
        assert FIFTH in item.text


async def test_a_page_in_windows_1251_under_a_bogus_charset_is_read_as_russian(
    desk: Desk, site: Site
) -> None:
    body = page("lavrov-fifth.html").decode("utf-8").replace('charset="utf-8"', "")
    site.routes["cp"] = Route(body.encode("cp1251"), content_type="text/html; charset=x-bogus")
    await desk.subscribe(1, "Лавров")
    feed = await desk.default_feed()

    assert await desk.ingest(feed, title_only(TITLE, f"{site.url}/news/cp")) == 1
    item = await desk.repo.items.get((await desk.alerts())[0].item_id)
    assert item is not None and FIFTH in item.text


async def test_garbage_served_as_a_page_costs_only_its_text(desk: Desk, site: Site) -> None:
    site.routes["junk"] = Route(b"\x00\xff<<<\x89PNG" * 1000, content_type="text/html")
    site.routes["pdf"] = Route(b"%PDF-1.4", content_type="application/pdf")
    await desk.subscribe(1, "Казахстан")
    feed = await desk.default_feed()
    lead = "Вице-премьеры России и Казахстана провели переговоры в Астане."

    queued = await desk.ingest(
        feed,
        title_only(TITLE, f"{site.url}/news/junk", guid="a", text=lead),
        title_only("Ещё " + TITLE, f"{site.url}/news/pdf", guid="b", text=lead + " Ещё."),
    )

    assert queued == 2
    stored = await desk.repo.feeds.get(feed.id)
    assert stored is not None and stored.page_error is not None
