"""Channel pages fetched from the preview base and parsed as feeds, from a local t.me."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.channels.page import FORMAT_CHANGED, NOT_PUBLIC
from bot.channels.preview import ChannelPreview
from bot.feeds import Fetcher, FetchLimits, FetchResult, ParsedFeed, ParsePool, make_session
from tests.channels.site import ChannelSite

NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture
async def site() -> AsyncIterator[ChannelSite]:
    server = await ChannelSite().start()
    yield server
    await server.close()


async def fetch_and_parse(
    site: ChannelSite, url: str, etag: str | None = None
) -> tuple[FetchResult, ParsedFeed | None]:
    limits = FetchLimits(total_timeout=5)
    pool = ParsePool(1, processes=False)
    try:
        async with make_session(limits) as session:
            result = await ChannelPreview(site.base).fetch(
                Fetcher(session, limits), url, etag=etag
            )
            parsed = None
            if result.ok and result.body is not None:
                parsed = await pool.parse(result, fetched_at=NOW)
            return result, parsed
    finally:
        pool.close()


async def test_a_channel_is_fetched_from_the_preview_base_and_parsed_as_its_posts(
    site: ChannelSite,
) -> None:
    channel = site.add("agency_demo", "Агентство: лента", ("Первая новость", "Вторая новость"))

    result, parsed = await fetch_and_parse(site, "https://t.me/s/agency_demo")

    assert channel.answered == 1
    assert result.url == "https://t.me/s/agency_demo"
    assert parsed is not None and parsed.ok and parsed.title == "Агентство: лента"
    assert [(i.title, i.link) for i in parsed.items] == [
        ("Вторая новость", "https://t.me/agency_demo/1002"),
        ("Первая новость", "https://t.me/agency_demo/1001"),
    ]


async def test_an_unchanged_page_is_not_modified_on_the_next_fetch(site: ChannelSite) -> None:
    site.add("agency_demo", "Агентство: лента", ("Первая новость",))
    first, _ = await fetch_and_parse(site, "https://t.me/s/agency_demo")
    again, parsed = await fetch_and_parse(site, "https://t.me/s/agency_demo", first.etag)
    assert again.not_modified and parsed is None


@pytest.mark.parametrize("known", [True, False])
async def test_a_preview_that_sends_readers_to_the_app_is_not_a_public_channel(
    site: ChannelSite, known: bool
) -> None:
    if known:
        site.add("closed_demo", "Закрыто", ("Пост",)).mode = "private"

    result, parsed = await fetch_and_parse(site, "https://t.me/s/closed_demo")

    assert parsed is None and result.body is None
    assert result.error is not None and result.error.startswith(NOT_PUBLIC)
    assert "@closed_demo" in result.error


async def test_a_redesigned_page_fails_as_a_format_change(site: ChannelSite) -> None:
    site.add("agency_demo", "Агентство: лента", ("Первая новость",)).mode = "redesigned"
    _, parsed = await fetch_and_parse(site, "https://t.me/s/agency_demo")
    assert parsed is not None and parsed.error is not None
    assert parsed.error.startswith(FORMAT_CHANGED)


async def test_an_ordinary_feed_url_is_fetched_as_it_is(site: ChannelSite) -> None:
    site.add("agency_demo", "Агентство: лента", ("Первая новость",))
    url = site.base + "agency_demo"  # the page itself, not a t.me address: no mapping
    limits = FetchLimits(total_timeout=5)
    async with make_session(limits) as session:
        preview = ChannelPreview("http://127.0.0.1:9/s/")
        result = await preview.fetch(Fetcher(session, limits), url)
    assert result.url == url and result.status == 200 and result.body
