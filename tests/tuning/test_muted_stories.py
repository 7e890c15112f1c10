"""«Не показывать этот сюжет»: later reports of a muted story reach the chat neither as a new
alert nor as an edit of its alert; other chats and other stories are untouched; retention
forgets mutes with the items."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.matching import Analyzer
from bot.pipeline import Ingestor
from bot.retention import Retention
from bot.subscriptions import SubscriptionService
from storage import NewItem, Repository
from tests.conftest import NOW
from tests.pipeline.test_isolation import chat, primed_feed
from tests.support.clock import FakeClock

ALICE, BOB = 1, 2
FEED = "http://127.0.0.1/wire"
STORY = "7:first-report"


def report(guid: str, title: str, minutes: float, story: str = STORY) -> NewItem:
    link = f"https://news.example/{guid}"
    return NewItem(guid, link, link, title, f"{title}.", NOW + timedelta(minutes=minutes), story)


@pytest.fixture
async def world(repo: Repository, analyzer: Analyzer) -> tuple[Ingestor, int]:
    """Alice and Bob both on «Лавров»; Alice has one alert of the story already (its source
    joins would edit it)."""
    subs = SubscriptionService(repo, analyzer, max_per_chat=50)
    await repo.feeds.sync_defaults([FEED], NOW)
    feed_id = await primed_feed(repo, FEED)
    await chat(repo, subs, ALICE, "Лавров")
    await chat(repo, subs, BOB, "Лавров")
    ingest = Ingestor(repo, subs, clock=FakeClock(NOW + timedelta(minutes=30)))
    await ingest.ingest(feed_id, [report("a", "Лавров прибыл в Анкару", 0)], NOW, alert=True)
    return ingest, feed_id


async def pending(repo: Repository, chat_id: int) -> list[str]:
    """Titles of the chat's queued alerts."""
    titles = []
    for d in await repo.deliveries.due(NOW + timedelta(days=1), 100):
        item = await repo.items.get(d.item_id)
        if d.chat_id == chat_id and item is not None:
            titles.append(item.title)
    return titles


async def joined(repo: Repository, chat_id: int) -> list[str]:
    """Titles of the reports that joined the chat's first alert (each asks for an edit)."""
    first = [d for d in await repo.deliveries.due(NOW + timedelta(days=1), 100)]
    alert = next(d for d in first if d.chat_id == chat_id)
    return [s.title for s in await repo.stories.sources(alert.id)]


async def test_a_muted_story_gives_the_chat_no_new_alert_and_no_join(
    repo: Repository, world: tuple[Ingestor, int]
) -> None:
    ingest, feed_id = world
    await repo.tuning.mute(ALICE, STORY, NOW)
    later = [
        report("b", "Лавров провёл переговоры в Анкаре", 10),
        report("c", "Лавров вернулся из Анкары", 20, story="7:another"),
    ]

    await ingest.ingest(feed_id, later, NOW + timedelta(minutes=20), alert=True)

    assert await pending(repo, ALICE) == ["Лавров прибыл в Анкару", "Лавров вернулся из Анкары"]
    assert await joined(repo, ALICE) == []
    assert await pending(repo, BOB) == ["Лавров прибыл в Анкару", "Лавров вернулся из Анкары"]
    assert await joined(repo, BOB) == ["Лавров провёл переговоры в Анкаре"]


async def test_a_muted_story_gives_a_chat_without_grouping_no_alert_either(
    repo: Repository, world: tuple[Ingestor, int]
) -> None:
    ingest, feed_id = world
    await repo.chats.set_group_stories(ALICE, False, NOW)
    await repo.tuning.mute(ALICE, STORY, NOW)

    await ingest.ingest(feed_id, [report("b", "Лавров в Анкаре", 10)], NOW, alert=True)

    assert await pending(repo, ALICE) == ["Лавров прибыл в Анкару"]


async def test_an_unmuted_story_joins_again(repo: Repository, world: tuple[Ingestor, int]) -> None:
    ingest, feed_id = world
    await repo.tuning.mute(ALICE, STORY, NOW)
    await repo.tuning.unmute(ALICE, STORY)

    await ingest.ingest(feed_id, [report("b", "Лавров в Анкаре", 10)], NOW, alert=True)

    assert await joined(repo, ALICE) == ["Лавров в Анкаре"]


async def test_a_mute_with_an_end_ends(repo: Repository) -> None:
    await repo.chats.upsert(
        ALICE, type="private", title=None, language="ru", timezone="UTC", now=NOW
    )
    await repo.tuning.mute(ALICE, STORY, NOW, until=NOW + timedelta(hours=1))

    assert await repo.tuning.muted(STORY, [ALICE, BOB], NOW) == {ALICE}
    assert await repo.tuning.muted(STORY, [ALICE], NOW + timedelta(hours=1)) == set()


async def test_retention_forgets_mutes_older_than_the_items_it_keeps(repo: Repository) -> None:
    await repo.chats.upsert(
        ALICE, type="private", title=None, language="ru", timezone="UTC", now=NOW
    )
    await repo.tuning.mute(ALICE, "old", NOW - timedelta(days=31))
    await repo.tuning.mute(ALICE, "recent", NOW - timedelta(days=29))
    await repo.tuning.mute(ALICE, "ended", NOW - timedelta(days=1), until=NOW - timedelta(hours=1))

    await Retention(repo, timedelta(days=30), clock=FakeClock(NOW)).prune()

    assert await repo.tuning.muted("old", [ALICE], NOW) == set()
    assert await repo.tuning.muted("recent", [ALICE], NOW) == {ALICE}
    assert await repo.tuning.prune(NOW - timedelta(days=2), NOW - timedelta(days=60)) == 0
    assert not await repo.tuning.unmute(ALICE, "ended")
