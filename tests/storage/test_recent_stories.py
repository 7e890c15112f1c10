"""What /recent reads of stories: a chat's alerts one story at a time, and story sizes that
count only what the asking chat reads."""

from __future__ import annotations

from datetime import timedelta

from storage import NewDelivery, NewItem, NewSource, Repository, story_key
from tests.conftest import NOW

ALICE, BOB = 100, 200


async def _chats(repo: Repository) -> None:
    for chat_id in (ALICE, BOB):
        await repo.chats.upsert(
            chat_id, type="private", title=None, language="ru", timezone="UTC", now=NOW
        )


async def _feed(repo: Repository, url: str, *, own_of: int | None = None) -> int:
    if own_of is not None:
        return (await repo.feeds.add_for_chat(own_of, url, None, NOW)).id
    feed = await repo.feeds.get_by_url(url)
    if feed is None:
        known = [f.url for f in await repo.feeds.all_wanted() if f.is_default]
        await repo.feeds.sync_defaults([*known, url], NOW)
        feed = await repo.feeds.get_by_url(url)
    assert feed is not None
    return feed.id


async def _report(
    repo: Repository,
    feed_id: int,
    guid: str,
    story: str | None,
    minutes: int,
    link: str | None = None,
) -> int:
    """One stored item `minutes` after NOW, in `story`; returns its id."""
    link = link or f"https://news.example/{feed_id}/{guid}"
    new = NewItem(
        guid=guid,
        link=link,
        canonical_link=link,
        title=f"Новость {guid}",
        text="Текст.",
        published_at=NOW + timedelta(minutes=minutes),
        story=story,
    )
    (item,) = await repo.items.insert_new(feed_id, [new], NOW + timedelta(minutes=minutes))
    return item.id


async def _alert(repo: Repository, chat_id: int, item_id: int) -> int:
    await repo.deliveries.enqueue([NewDelivery(chat_id, item_id, (1,), ("Лавров",))], NOW)
    row = await repo.db.fetchval(
        "SELECT id FROM deliveries WHERE chat_id = ? AND item_id = ?", (chat_id, item_id)
    )
    await repo.deliveries.mark_sent(int(row), 1, NOW)
    return int(row)


async def _join(repo: Repository, delivery_id: int, item_id: int) -> None:
    await repo.stories.join([NewSource(delivery_id, item_id, (1,), ("Лавров",))], NOW)


async def test_an_alert_and_the_reports_that_joined_it_are_one_story_of_their_size(
    repo: Repository,
) -> None:
    await _chats(repo)
    feeds = [await _feed(repo, f"http://127.0.0.1/{n}") for n in range(3)]
    story = story_key(feeds[0], "a")
    first = await _report(repo, feeds[0], "a", story, 0)
    later = [await _report(repo, feeds[n], f"a{n}", story, n) for n in (1, 2)]
    alone = await _report(repo, feeds[0], "b", story_key(feeds[0], "b"), 5)
    delivery = await _alert(repo, ALICE, first)
    for item_id in later:
        await _join(repo, delivery, item_id)
    await _alert(repo, ALICE, alone)

    found = await repo.items.stories_delivered_to_chat(ALICE, offset=0, limit=10)

    assert [(item.id, size) for item, size in found] == [(alone, 1), (first, 3)]


async def test_alerts_of_one_story_are_one_line_headed_by_the_first_report(
    repo: Repository,
) -> None:
    """A chat with grouping off got each report as an alert: /recent still lists the story once."""
    await _chats(repo)
    feeds = [await _feed(repo, f"http://127.0.0.1/{n}") for n in range(3)]
    story = story_key(feeds[0], "a")
    reports = [await _report(repo, feeds[n], f"a{n}", story, n) for n in range(3)]
    old = await _report(repo, feeds[0], "before", None, -60)
    for item_id in [*reports, old]:
        await _alert(repo, ALICE, item_id)

    found = await repo.items.stories_delivered_to_chat(ALICE, offset=0, limit=10)

    assert [(item.id, size) for item, size in found] == [(reports[0], 3), (old, 1)]


async def test_paging_through_delivered_stories_never_splits_one(repo: Repository) -> None:
    await _chats(repo)
    feeds = [await _feed(repo, f"http://127.0.0.1/{n}") for n in range(2)]
    heads = []
    for s in range(5):
        story = story_key(feeds[0], f"s{s}")
        heads.append(await _report(repo, feeds[0], f"s{s}", story, 10 * s))
        await _alert(repo, ALICE, heads[-1])
        await _alert(repo, ALICE, await _report(repo, feeds[1], f"t{s}", story, 10 * s + 1))

    pages = [
        await repo.items.stories_delivered_to_chat(ALICE, offset=offset, limit=2)
        for offset in (0, 2, 4)
    ]

    assert [[(i.id, n) for i, n in page] for page in pages] == [
        [(heads[4], 2), (heads[3], 2)],
        [(heads[2], 2), (heads[1], 2)],
        [(heads[0], 2)],
    ]


async def test_another_chats_alerts_and_sources_of_the_same_story_count_nothing(
    repo: Repository,
) -> None:
    await _chats(repo)
    feed = await _feed(repo, "http://127.0.0.1/0")
    bobs = await _feed(repo, "http://127.0.0.1/bob", own_of=BOB)
    story = story_key(feed, "a")
    first = await _report(repo, feed, "a", story, 0)
    second = await _report(repo, feed, "a2", story, 1)
    own = await _report(repo, bobs, "x", story, 2)
    await _alert(repo, ALICE, first)
    bob_alert = await _alert(repo, BOB, first)
    await _join(repo, bob_alert, second)
    await _join(repo, bob_alert, own)

    [(item, size)] = await repo.items.stories_delivered_to_chat(ALICE, offset=0, limit=10)

    assert (item.id, size) == (first, 1)


async def test_held_alerts_count_and_failed_ones_do_not(repo: Repository) -> None:
    await _chats(repo)
    feed = await _feed(repo, "http://127.0.0.1/0")
    held = await _report(repo, feed, "h", None, 0)
    failed = await _report(repo, feed, "f", None, 1)
    await repo.deliveries.enqueue(
        [NewDelivery(ALICE, i, (1,), ("Лавров",)) for i in (held, failed)], NOW
    )
    for d in await repo.deliveries.due(NOW + timedelta(seconds=1), 10):
        if d.item_id == held:
            await repo.deliveries.mark_held(d.id)
        else:
            await repo.deliveries.mark_failed(d.id, "blocked")

    found = await repo.items.stories_delivered_to_chat(ALICE, offset=0, limit=10)

    assert [(item.id, size) for item, size in found] == [(held, 1)]


async def test_a_story_counts_the_reports_the_chat_reads_once_per_article(
    repo: Repository,
) -> None:
    await _chats(repo)
    feeds = [await _feed(repo, f"http://127.0.0.1/{n}") for n in range(3)]
    bobs = await _feed(repo, "http://127.0.0.1/bob", own_of=BOB)
    story = story_key(feeds[0], "a")
    for n, feed_id in enumerate(feeds):
        await _report(repo, feed_id, f"a{n}", story, n)
    await _report(repo, bobs, "own", story, 4)  # Bob's feed: not Alice's to count
    alices = await _feed(repo, "http://127.0.0.1/alice", own_of=ALICE)
    copy = "https://news.example/copy"
    await _report(repo, feeds[1], "c", story, 5, link=copy)
    await _report(repo, alices, "c", story, 6, link=copy)  # the same article again
    other = story_key(feeds[0], "b")
    await _report(repo, feeds[0], "b", other, 7)
    await repo.feeds.set_enabled_for_chat(ALICE, feeds[2], False, NOW)
    since = NOW - timedelta(days=1)

    alice = await repo.items.story_sizes_for_chat(ALICE, [story, other, "9:none"], since=since)
    bob = await repo.items.story_sizes_for_chat(BOB, [story], since=since)

    assert alice == {story: 3, other: 1}
    assert bob == {story: 5}


async def test_a_story_size_leaves_out_reports_older_than_the_search(repo: Repository) -> None:
    await _chats(repo)
    feeds = [await _feed(repo, f"http://127.0.0.1/{n}") for n in range(2)]
    story = story_key(feeds[0], "a")
    await _report(repo, feeds[0], "a", story, -120)
    await _report(repo, feeds[1], "b", story, 0)

    sizes = await repo.items.story_sizes_for_chat(
        ALICE, [story], since=NOW - timedelta(minutes=60)
    )

    assert sizes == {story: 1}
