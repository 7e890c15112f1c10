"""The poller reads a chat's channel from the preview base, past the SSRF guard, like a feed."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.channels.page import FORMAT_CHANGED, NOT_PUBLIC
from bot.channels.preview import ChannelPreview
from bot.feeds import Fetcher, FetchLimits, SsrfGuard, make_session
from bot.matching import Analyzer
from bot.pipeline import Ingestor
from bot.poller import FeedPoller, PollOutcome
from bot.subscriptions import SubscriptionService
from storage import Feed, Repository
from tests.channels.site import Channel, ChannelSite
from tests.conftest import NOW
from tests.support.clock import FakeClock

CHAT = 1


@dataclass
class Rig:
    repo: Repository
    poller: FeedPoller
    clock: FakeClock
    channel: Channel
    feed: Feed

    async def poll(self) -> PollOutcome:
        self.clock.advance(120)
        feed = await self.repo.feeds.get_by_url(self.feed.url)
        assert feed is not None
        return await self.poller.poll_feed(feed)

    async def stored(self) -> Feed:
        feed = await self.repo.feeds.get_by_url(self.feed.url)
        assert feed is not None
        return feed


@pytest.fixture
async def rig(repo: Repository, analyzer: Analyzer) -> AsyncIterator[Rig]:
    clock = FakeClock(NOW)
    subscriptions = SubscriptionService(repo, analyzer, max_per_chat=50)
    await repo.chats.upsert(
        CHAT, type="private", title=None, language="ru", timezone="Europe/Moscow", now=NOW
    )
    assert (await subscriptions.subscribe(CHAT, "Лавров", NOW)).subscription is not None
    site = await ChannelSite().start()
    channel = site.add("agency_demo", "Агентство: лента", ("Лавров прилетел в Анкару",))
    limits = FetchLimits(total_timeout=5)
    guard = SsrfGuard(allow_private=False)
    async with make_session(limits) as session, make_session(limits, guard=guard) as guarded:
        poller = FeedPoller(
            repo,
            Ingestor(repo, subscriptions),
            for_defaults=Fetcher(session, limits),
            for_chat_feeds=Fetcher(guarded, limits, guard=guard),
            interval=120,
            concurrency=4,
            clock=clock,
            rng=random.Random(1),
            channels=ChannelPreview(site.base),
        )
        feed = await repo.feeds.add_for_chat(CHAT, "https://t.me/s/agency_demo", None, NOW)
        yield Rig(repo, poller, clock, channel, feed)
    await site.close()


async def pending(repo: Repository) -> list[int]:
    return [d.item_id for d in await repo.deliveries.due(NOW + timedelta(days=1), 100)]


async def test_a_chats_channel_is_read_from_the_preview_base_silently_first_then_alerts(
    rig: Rig,
) -> None:
    first = await rig.poll()
    assert (first.error, first.new_items, first.deliveries) == (None, 1, 0)
    assert (await rig.stored()).title == "Агентство: лента"

    rig.channel.publish("Лавров ответил на вопросы журналистов")
    second = await rig.poll()

    assert (second.new_items, second.deliveries) == (1, 1)
    [item_id] = await pending(rig.repo)
    item = await rig.repo.items.get(item_id)
    assert item is not None and item.link == f"https://t.me/agency_demo/{rig.channel.next_id}"


async def test_a_channel_gone_private_is_a_feed_error_that_says_so(rig: Rig) -> None:
    rig.channel.mode = "private"
    outcome = await rig.poll()
    feed = await rig.stored()
    assert outcome.error is not None and outcome.error.startswith(NOT_PUBLIC)
    assert feed.consecutive_failures == 1 and feed.last_error == outcome.error


async def test_a_page_in_an_unknown_format_is_a_feed_error_not_silence(rig: Rig) -> None:
    await rig.poll()
    rig.channel.mode = "redesigned"
    outcome = await rig.poll()
    feed = await rig.stored()
    assert outcome.error is not None and outcome.error.startswith(FORMAT_CHANGED)
    assert feed.last_error is not None and feed.last_error.startswith(FORMAT_CHANGED)


async def test_an_operators_channel_in_feeds_is_read_the_same_way(rig: Rig) -> None:
    await rig.repo.feeds.sync_defaults(["https://t.me/s/agency_demo"], NOW)
    feed = await rig.stored()
    assert feed.is_default

    outcome = await rig.poller.poll_feed(feed)

    assert (outcome.error, outcome.new_items) == (None, 1)
