"""Two processes on one PostgreSQL database see one world: a subscription made through either
matches in both within a second, a story one started is joined by the other's reports, and
deliveries either queues wake the sender."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest

from bot.cluster import ClusterSync
from bot.matching import Analyzer
from bot.pipeline import Ingestor
from bot.stories.live import StoryDesk
from bot.subscriptions import SubscriptionService
from storage import Repository
from tests.conftest import NOW
from tests.pipeline.test_isolation import chat, primed_feed
from tests.pipeline.test_stories import DEFAULTS, INTERFAX, TASS, report

pytestmark = pytest.mark.parametrize("engine", ["postgres"])

ALICE = 1
LAVROV = "Заявление Сергея Лаврова о переговорах"


@pytest.fixture
async def other(db_url: str, repo: Repository) -> AsyncIterator[Repository]:
    """A second process's connections to the same database as `repo`."""
    second = await Repository.open(db_url)
    yield second
    await second.close()


async def _within(predicate: Callable[[], bool], seconds: float) -> float:
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not predicate():
        if loop.time() - began > seconds:
            raise AssertionError(f"not within {seconds}s")
        await asyncio.sleep(0.01)
    return loop.time() - began


async def _synced(
    repo: Repository, analyzer: Analyzer, woken: list[int]
) -> tuple[SubscriptionService, ClusterSync]:
    subs = SubscriptionService(repo, analyzer, max_per_chat=50)
    await subs.load()
    sync = ClusterSync(repo.cluster(), subs, lambda: woken.append(1))
    sync.start()
    await asyncio.sleep(0.3)  # listening (the first connection reloads once)
    return subs, sync


async def test_a_subscription_made_in_one_process_matches_in_the_other_within_a_second(
    repo: Repository, other: Repository, analyzer: Analyzer
) -> None:
    here = SubscriptionService(repo, analyzer, max_per_chat=50)
    there, sync = await _synced(other, analyzer, [])
    doc = analyzer.document(LAVROV)
    try:
        assert there.match(doc) == []
        await chat(repo, here, ALICE, "Лавров")
        took = await _within(lambda: bool(there.match(doc)), 1.0)
        print(f"\nsubscription heard by the other process after {took * 1000:.0f} ms")
        [sub] = await repo.subscriptions.for_chat(ALICE)

        await here.set_paused(ALICE, sub.id, True)
        await _within(lambda: there.match(doc) == [], 1.0)
        await here.set_paused(ALICE, sub.id, False)
        await _within(lambda: bool(there.match(doc)), 1.0)
        await here.exclude(ALICE, sub.id, "переговоры")
        await _within(lambda: there.match(doc) == [], 1.0)  # the narrowed query, there too
        await here.remove(ALICE, sub.id)
        await _within(lambda: len(there) == 0, 1.0)
    finally:
        await sync.stop()


async def test_deliveries_queued_by_one_process_wake_the_others_sender(
    repo: Repository, other: Repository, analyzer: Analyzer
) -> None:
    woken: list[int] = []
    here = SubscriptionService(repo, analyzer, max_per_chat=50)
    _, sync = await _synced(other, analyzer, woken)
    try:
        await repo.feeds.sync_defaults(DEFAULTS, NOW)
        feed = await primed_feed(repo, DEFAULTS[0])
        await chat(repo, here, ALICE, "Лавров")
        result = await Ingestor(repo, here).ingest(
            feed, [report("if1", INTERFAX, 0)], NOW, alert=True, trusted=True
        )
        assert result.deliveries == 1
        await _within(lambda: bool(woken), 1.0)
    finally:
        await sync.stop()


async def test_a_report_read_by_another_process_joins_the_story_this_one_started(
    repo: Repository, other: Repository, analyzer: Analyzer
) -> None:
    subs_here = SubscriptionService(repo, analyzer, max_per_chat=50)
    subs_there = SubscriptionService(other, analyzer, max_per_chat=50)
    await repo.feeds.sync_defaults(DEFAULTS, NOW)
    interfax, tass, _ = [await primed_feed(repo, url) for url in DEFAULTS]
    await chat(repo, subs_here, ALICE, "Лавров")
    await subs_there.load()
    desk_here = StoryDesk(analyzer, window_hours=24, catch_up=repo)
    desk_there = StoryDesk(analyzer, window_hours=24, catch_up=other)
    await desk_here.restore(repo, NOW)
    await desk_there.restore(other, NOW)  # both started before either read anything

    first = await Ingestor(repo, subs_here, stories=desk_here).ingest(
        interfax, [report("if1", INTERFAX, 0)], NOW, alert=True, trusted=True
    )
    await asyncio.sleep(1.1)  # a look at the others' items at most once a second
    later = NOW + timedelta(minutes=1)
    second = await Ingestor(other, subs_there, stories=desk_there).ingest(
        tass, [report("ts1", TASS, 1)], later, alert=True, trusted=True
    )

    assert (first.deliveries, second.deliveries, second.joined) == (1, 0, 1)
    assert second.new_items[0].story == first.new_items[0].story
