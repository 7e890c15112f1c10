"""Each repository's operations, as the rest of the bot relies on them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import (
    DeliveryStatus,
    DuplicateSubscriptionError,
    NewDelivery,
    NewItem,
    Repository,
)
from tests.conftest import NOW


def _item(guid: str, link: str | None = None, title: str = "Заголовок") -> NewItem:
    return NewItem(
        guid=guid,
        link=link,
        canonical_link=link,
        title=title,
        text="Текст новости.",
        published_at=NOW,
    )


async def _chat(repo: Repository, chat_id: int = 100, type: str = "private") -> None:
    await repo.chats.upsert(
        chat_id, type=type, title=None, language="ru", timezone="Europe/Moscow", now=NOW
    )


async def _feed_with_item(repo: Repository) -> tuple[int, int]:
    await repo.feeds.sync_defaults(["http://127.0.0.1/feed"], NOW)
    feed = await repo.feeds.get_by_url("http://127.0.0.1/feed")
    assert feed is not None
    (item,) = await repo.items.insert_new(feed.id, [_item("g1", "http://x/1")], NOW)
    return feed.id, item.id


# -- chats ---------------------------------------------------------------------------------


async def test_a_new_chat_keeps_its_first_language_and_later_writes_do_not_reset_it(
    repo: Repository,
) -> None:
    await repo.chats.upsert(
        5, type="private", title=None, language="en", timezone="Europe/Moscow", now=NOW
    )
    await repo.chats.set_language(5, "ru", NOW)
    chat = await repo.chats.upsert(
        5, type="private", title="x", language="en", timezone="UTC", now=NOW
    )
    assert (chat.language, chat.timezone, chat.title) == ("ru", "Europe/Moscow", "x")


async def test_deactivating_a_chat_cancels_its_pending_deliveries_and_writing_reactivates_it(
    repo: Repository,
) -> None:
    await _chat(repo)
    _, item_id = await _feed_with_item(repo)
    await repo.deliveries.enqueue([NewDelivery(100, item_id, (1,), ("Лавров",))], NOW)

    cancelled = await repo.deactivate_chat(100, "blocked by the user", NOW)
    chat = await repo.chats.get(100)
    assert cancelled == 1
    assert chat is not None and not chat.active and chat.inactive_reason == "blocked by the user"
    assert await repo.chats.listening([100]) == set()

    chat = await repo.chats.upsert(
        100, type="private", title=None, language="ru", timezone="UTC", now=NOW
    )
    assert chat.active and chat.inactive_reason is None
    assert await repo.chats.listening([100]) == {100}


async def test_a_paused_chat_is_not_listening(repo: Repository) -> None:
    await _chat(repo)
    await repo.chats.set_paused(100, True, NOW)
    assert await repo.chats.listening([100, 999]) == set()
    await repo.chats.set_paused(100, False, NOW)
    assert await repo.chats.listening([100, 999]) == {100}


# -- subscriptions ---------------------------------------------------------------------------


async def test_a_chat_cannot_hold_the_same_query_twice_but_another_chat_can(
    repo: Repository,
) -> None:
    await _chat(repo, 1)
    await _chat(repo, 2)
    await repo.subscriptions.add(1, "Лавров", NOW)
    with pytest.raises(DuplicateSubscriptionError):
        await repo.subscriptions.add(1, "Лавров", NOW)
    await repo.subscriptions.add(2, "Лавров", NOW)
    assert await repo.subscriptions.count() == 2


async def test_subscriptions_list_pause_find_and_delete(repo: Repository) -> None:
    await _chat(repo)
    first = await repo.subscriptions.add(100, "Лавров", NOW)
    second = await repo.subscriptions.add(100, '"прямое авиасообщение"', NOW)

    assert [s.query for s in await repo.subscriptions.for_chat(100)] == [
        "Лавров",
        '"прямое авиасообщение"',
    ]
    assert await repo.subscriptions.set_paused(first.id, True)
    assert [s.id for s in await repo.subscriptions.all_unpaused()] == [second.id]
    found = await repo.subscriptions.find(100, '"прямое авиасообщение"')
    assert found is not None and found.id == second.id
    assert await repo.subscriptions.delete(second.id)
    assert not await repo.subscriptions.delete(second.id)
    assert await repo.subscriptions.count_for_chat(100) == 1


# -- feeds -------------------------------------------------------------------------------------


async def test_default_feeds_follow_the_setting_and_keep_their_history(repo: Repository) -> None:
    await repo.feeds.sync_defaults(["http://a/rss", "http://b/rss"], NOW)
    await repo.feeds.sync_defaults(["http://b/rss"], NOW)

    wanted = [f.url for f in await repo.feeds.all_wanted()]
    a = await repo.feeds.get_by_url("http://a/rss")
    assert wanted == ["http://b/rss"]
    assert a is not None and not a.is_default


async def test_feed_success_failure_and_schedule(repo: Repository) -> None:
    await repo.feeds.sync_defaults(["http://a/rss"], NOW)
    feed = await repo.feeds.get_by_url("http://a/rss")
    assert feed is not None and not feed.primed
    assert [f.id for f in await repo.feeds.due(NOW, 10)] == [feed.id]

    later = NOW + timedelta(minutes=5)
    fail = repo.feeds.record_failure
    assert await fail(feed.id, error="HTTP 500", now=NOW, next_fetch_at=later) == 1
    assert await fail(feed.id, error="HTTP 502", now=NOW, next_fetch_at=later) == 2
    failing = await repo.feeds.get(feed.id)
    assert failing is not None
    assert (failing.consecutive_failures, failing.last_error) == (2, "HTTP 502")
    assert await repo.feeds.due(NOW, 10) == []
    assert await repo.feeds.next_due_at() == later

    await repo.feeds.record_success(
        feed.id, title="Лента", etag='"v1"', last_modified=None, now=later, next_fetch_at=later
    )
    healthy = await repo.feeds.get(feed.id)
    assert healthy is not None
    assert (healthy.primed, healthy.consecutive_failures, healthy.last_error) == (True, 0, None)
    assert (healthy.title, healthy.etag, healthy.last_success_at) == ("Лента", '"v1"', later)


async def test_who_reads_a_feed_defaults_minus_opt_outs_and_own_feeds(repo: Repository) -> None:
    for chat_id in (1, 2, 3):
        await _chat(repo, chat_id)
    await repo.feeds.sync_defaults(["http://default/rss"], NOW)
    default = await repo.feeds.get_by_url("http://default/rss")
    assert default is not None
    own = await repo.feeds.add_for_chat(3, "http://own/rss", "Мой", NOW)

    await repo.feeds.set_enabled_for_chat(2, default.id, False, NOW)

    assert await repo.feeds.readers(default.id) == {1, 3}
    assert await repo.feeds.readers(own.id) == {3}
    assert await repo.feeds.own_count(3) == 1
    assert [(cf.feed.url, cf.own, cf.enabled) for cf in await repo.feeds.for_chat(2)] == [
        ("http://default/rss", False, False)
    ]
    assert not await repo.feeds.remove_for_chat(3, default.id)
    assert await repo.feeds.remove_for_chat(3, own.id)
    assert await repo.feeds.readers(own.id) == set()


# -- items -------------------------------------------------------------------------------------


async def test_an_item_is_stored_once_per_guid_and_once_per_canonical_link(
    repo: Repository,
) -> None:
    await repo.feeds.sync_defaults(["http://a/rss", "http://b/rss"], NOW)
    a = await repo.feeds.get_by_url("http://a/rss")
    b = await repo.feeds.get_by_url("http://b/rss")
    assert a is not None and b is not None

    first = await repo.items.insert_new(a.id, [_item("1", "http://x/1"), _item("2", None)], NOW)
    replay = await repo.items.insert_new(a.id, [_item("1", "http://x/1"), _item("2", None)], NOW)
    new_guid_same_link = await repo.items.insert_new(a.id, [_item("1b", "http://x/1")], NOW)
    other_feed_same_link = await repo.items.insert_new(b.id, [_item("z", "http://x/1")], NOW)
    other_feed_same_guid = await repo.items.insert_new(b.id, [_item("2", None)], NOW)

    assert [i.guid for i in first] == ["1", "2"]
    assert replay == new_guid_same_link == other_feed_same_link == []
    assert [i.guid for i in other_feed_same_guid] == ["2"]


async def test_pruning_removes_old_items_and_their_deliveries(repo: Repository) -> None:
    await _chat(repo)
    _, item_id = await _feed_with_item(repo)
    await repo.deliveries.enqueue([NewDelivery(100, item_id, (1,), ("q",))], NOW)
    (pending,) = await repo.deliveries.due(NOW, 10)
    assert await repo.items.prune(NOW + timedelta(seconds=1)) == 0  # its alert is not out yet
    await repo.deliveries.mark_sent(pending.id, 1, NOW)

    assert await repo.items.prune(NOW - timedelta(days=1)) == 0
    assert await repo.items.prune(NOW + timedelta(seconds=1)) == 1
    assert await repo.items.get(item_id) is None
    assert await repo.deliveries.counts_by_status() == {}


# -- deliveries --------------------------------------------------------------------------------


async def test_one_delivery_per_chat_and_item(repo: Repository) -> None:
    await _chat(repo)
    _, item_id = await _feed_with_item(repo)
    d = NewDelivery(100, item_id, (1, 2), ("Лавров", "авиасообщение"))

    assert await repo.deliveries.enqueue([d, d], NOW) == 1
    assert await repo.deliveries.enqueue([d], NOW) == 0
    (due,) = await repo.deliveries.due(NOW, 10)
    assert due.matched_queries == ("Лавров", "авиасообщение")
    assert due.subscription_ids == (1, 2)


async def test_delivery_lifecycle_retry_then_sent(repo: Repository) -> None:
    await _chat(repo)
    _, item_id = await _feed_with_item(repo)
    await repo.deliveries.enqueue([NewDelivery(100, item_id, (1,), ("q",))], NOW)
    (d,) = await repo.deliveries.due(NOW, 10)

    retry_at = NOW + timedelta(seconds=4)
    assert await repo.deliveries.mark_retry(d.id, "HTTP 502", retry_at) == 1
    assert await repo.deliveries.due(NOW, 10) == []
    assert await repo.deliveries.next_attempt_at() == retry_at

    await repo.deliveries.mark_sent(d.id, 777, retry_at)
    sent = await repo.deliveries.get(d.id)
    assert sent is not None
    assert (sent.status, sent.message_id, sent.attempts, sent.error) == (
        DeliveryStatus.SENT,
        777,
        2,
        None,
    )
    assert await repo.deliveries.sent_since(100, NOW) == 1
    assert [x.id for x in await repo.deliveries.sent_to_chat(100, offset=0, limit=10)] == [d.id]


async def test_data_survives_closing_and_reopening(db_url: str) -> None:
    repo = await Repository.open(db_url)
    await _chat(repo)
    await repo.subscriptions.add(100, "Лавров", NOW)
    await repo.close()

    reopened = await Repository.open(db_url)
    try:
        assert [s.query for s in await reopened.subscriptions.for_chat(100)] == ["Лавров"]
    finally:
        await reopened.close()


async def test_a_renamed_forum_topic_keeps_its_latest_name(repo: Repository) -> None:
    """Both engines accept the upsert (PostgreSQL has no `IS NOT` between values)."""
    await repo.chats.upsert(
        -100, type="supergroup", title="Desk", language="ru", timezone="Europe/Moscow", now=NOW
    )
    await repo.topics.name(-100, 7, "Политика")
    await repo.topics.name(-100, 7, "Политика")
    await repo.topics.name(-100, 7, "Внешняя политика")
    topics = await repo.topics.for_chat(-100)
    assert topics[7].name == "Внешняя политика"
