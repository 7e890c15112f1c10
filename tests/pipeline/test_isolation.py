"""Feeds added by chats stay in their own lane: they cannot suppress, replace or re-title the
items of other feeds, and the storage quota keeps any one feed from filling the database."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from bot.matching import Analyzer
from bot.matching.offload import SlicedAnalysis
from bot.pipeline import Ingestor, Quota
from bot.subscriptions import SubscriptionService
from storage import NewItem, Repository
from tests.conftest import NOW

REAL = "https://www.interfax.ru/russia/1001"
REAL_TITLE = "Лавров провёл переговоры с Рубио"


def item(guid: str, title: str, link: str | None, text: str = "") -> NewItem:
    return NewItem(guid, link, link, title, text or title, NOW)


async def chat(repo: Repository, subs: SubscriptionService, chat_id: int, query: str) -> None:
    await repo.chats.upsert(
        chat_id, type="private", title=None, language="ru", timezone="Europe/Moscow", now=NOW
    )
    outcome = await subs.subscribe(chat_id, query, NOW)
    assert outcome.subscription is not None


async def primed_feed(repo: Repository, url: str, *, owner: int | None = None) -> int:
    feed = (
        await repo.feeds.add_for_chat(owner, url, None, NOW)
        if owner is not None
        else await repo.feeds.get_by_url(url)
    )
    assert feed is not None
    await repo.feeds.record_success(
        feed.id, title=url, etag=None, last_modified=None, now=NOW, next_fetch_at=NOW
    )
    return feed.id


async def alerts(repo: Repository) -> list[tuple[int, str]]:
    rows = await repo.deliveries.due(NOW + timedelta(days=1), 1000)
    result = []
    for d in rows:
        stored = await repo.items.get(d.item_id)
        assert stored is not None
        result.append((d.chat_id, stored.title))
    return sorted(result)


async def test_a_chat_feed_pre_publishing_a_default_link_cannot_hide_or_retitle_it(
    repo: Repository, analyzer: Analyzer
) -> None:
    subs = SubscriptionService(repo, analyzer, max_per_chat=50)
    ingest = Ingestor(repo, subs)
    await chat(repo, subs, 1, "Лавров")  # the attacker: reads its own feed and the default
    await chat(repo, subs, 2, "Лавров")  # a bystander: reads the default only
    await repo.feeds.sync_defaults(["https://www.interfax.ru/rss.asp"], NOW)
    interfax = await primed_feed(repo, "https://www.interfax.ru/rss.asp")
    evil = await primed_feed(repo, "https://evil.example/rss", owner=1)

    await ingest.ingest(evil, [item("e1", "Лавров: фальшивый заголовок", REAL)], NOW, alert=True)
    real = await ingest.ingest(interfax, [item("i1", REAL_TITLE, REAL)], NOW, alert=True)

    assert [i.title for i in real.new_items] == [REAL_TITLE]
    assert await alerts(repo) == [(1, "Лавров: фальшивый заголовок"), (2, REAL_TITLE)]


async def test_two_default_feeds_with_one_story_store_and_alert_it_once(
    repo: Repository, analyzer: Analyzer
) -> None:
    subs = SubscriptionService(repo, analyzer, max_per_chat=50)
    ingest = Ingestor(repo, subs)
    await chat(repo, subs, 2, "Лавров")
    await repo.feeds.sync_defaults(["https://a.example/rss", "https://b.example/rss"], NOW)
    a = await primed_feed(repo, "https://a.example/rss")
    b = await primed_feed(repo, "https://b.example/rss")

    await ingest.ingest(a, [item("a1", REAL_TITLE, REAL)], NOW, alert=True)
    again = await ingest.ingest(b, [item("b1", "Лавров и Рубио", REAL)], NOW, alert=True)

    assert again.new_items == ()
    assert await alerts(repo) == [(2, REAL_TITLE)]


async def test_a_chat_reading_two_own_feeds_with_one_story_gets_one_alert(
    repo: Repository, analyzer: Analyzer
) -> None:
    subs = SubscriptionService(repo, analyzer, max_per_chat=50)
    ingest = Ingestor(repo, subs)
    await chat(repo, subs, 1, "Лавров")
    first = await primed_feed(repo, "https://one.example/rss", owner=1)
    second = await primed_feed(repo, "https://two.example/rss", owner=1)

    await ingest.ingest(first, [item("1", REAL_TITLE, REAL)], NOW, alert=True)
    await ingest.ingest(second, [item("2", REAL_TITLE, REAL)], NOW, alert=True)

    assert await alerts(repo) == [(1, REAL_TITLE)]


def huge_text(seed: int, chars: int = 100_000) -> str:
    rng = random.Random(seed)
    letters = "абвгдежзиклмнопрстуфхцчшщэюя"
    words = ("".join(rng.choice(letters) for _ in range(rng.randint(5, 10))) for _ in range(chars))
    return " ".join(words)[:chars]


async def test_the_storage_quota_caps_text_per_item_and_items_per_feed_per_day(
    repo: Repository, analyzer: Analyzer
) -> None:
    subs = SubscriptionService(repo, analyzer, max_per_chat=50)
    ingest = Ingestor(repo, subs, quota=Quota(max_text_chars=5_000, max_items_per_day=60))
    await chat(repo, subs, 1, "Лавров")
    feed = await primed_feed(repo, "https://rewriter.example/rss", owner=1)
    text = "Лавров " + huge_text(1, 20_000)

    polls = []
    for poll in range(3):  # every poll rewrites all 45 items under new guids
        batch = [item(f"{poll}-{n}", f"Лавров {poll}-{n}", None, text) for n in range(45)]
        polls.append(await ingest.ingest(feed, batch, NOW + timedelta(minutes=poll), alert=True))

    assert [len(p.new_items) for p in polls] == [45, 15, 0]
    assert [p.dropped for p in polls] == [0, 30, 45]
    stored = await repo.items.count_for_feed_since(feed, NOW - timedelta(days=1))
    assert stored == 60
    assert max(len(i.text) for p in polls for i in p.new_items) <= 5_000
    cut = await repo.feeds.get(feed)
    assert cut is not None and cut.cut_items == 45 and cut.clipped_at is not None
    tomorrow = await ingest.ingest(
        feed, [item("next-day", "Лавров", None)], NOW + timedelta(days=1, minutes=5), alert=True
    )
    assert len(tomorrow.new_items) == 1


async def test_analysing_a_huge_item_lets_other_tasks_run_in_between(analyzer: Analyzer) -> None:
    text = huge_text(2)
    turns = 0
    done = False

    async def other_chat() -> None:
        nonlocal turns
        while not done:
            turns += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(other_chat())
    await asyncio.sleep(0)
    before = turns
    doc = await SlicedAnalysis().document(analyzer, text)
    done = True
    await ticker

    assert doc.tokens and doc.postings == analyzer.document(text).postings
    assert turns - before >= 50  # ~0.7 s of new words in slices of 4 ms: many turns
