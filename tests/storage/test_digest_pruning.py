"""Finished digests are forgotten with retention; a pending one never is, however old."""

from __future__ import annotations

from datetime import timedelta

from bot.retention import Retention
from storage import DeliveryStatus, NewDelivery, NewItem, Repository
from tests.conftest import NOW


async def _held_alert(repo: Repository, guid: str) -> int:
    """A pending alert of chat 100 for a new item; returns its delivery id."""
    await repo.chats.upsert(
        100, type="private", title=None, language="ru", timezone="Europe/Moscow", now=NOW
    )
    await repo.feeds.sync_defaults(["http://127.0.0.1/feed"], NOW)
    feed = await repo.feeds.get_by_url("http://127.0.0.1/feed")
    assert feed is not None
    new = NewItem(guid, f"http://x/{guid}", f"http://x/{guid}", "Заголовок", "Текст.", NOW)
    (item,) = await repo.items.insert_new(feed.id, [new], NOW)
    await repo.deliveries.enqueue([NewDelivery(100, item.id, (1,), ("Лавров",))], NOW)
    (delivery,) = [d for d in await repo.deliveries.due(NOW, 10) if d.item_id == item.id]
    return delivery.id


async def test_a_sent_digest_is_forgotten_after_the_retention_period(repo: Repository) -> None:
    delivery_id = await _held_alert(repo, "g1")
    digest_id = await repo.digests.hold(delivery_id, 100, NOW + timedelta(hours=1), NOW)
    assert await repo.digests.part_sent(digest_id, [delivery_id], 77, NOW + timedelta(hours=1))

    assert await repo.digests.prune(NOW) == 0  # made at NOW: not older than that
    assert await repo.digests.prune(NOW + timedelta(days=31)) == 1
    assert await repo.digests.get(digest_id) is None
    sent = await repo.deliveries.get(delivery_id)
    assert sent is not None and sent.status is DeliveryStatus.SENT  # the alert keeps its row


async def test_a_pending_digest_is_kept_however_old(repo: Repository) -> None:
    delivery_id = await _held_alert(repo, "g2")
    digest_id = await repo.digests.hold(delivery_id, 100, NOW + timedelta(hours=8), NOW)

    assert await repo.digests.prune(NOW + timedelta(days=365)) == 0
    assert await repo.digests.get(digest_id) is not None


async def test_retention_forgets_finished_digests_with_the_items(repo: Repository) -> None:
    delivery_id = await _held_alert(repo, "g3")
    digest_id = await repo.digests.hold(delivery_id, 100, NOW + timedelta(hours=1), NOW)
    await repo.digests.part_sent(digest_id, [delivery_id], 78, NOW + timedelta(hours=1))

    later = NOW + timedelta(days=31)
    await Retention(repo, timedelta(days=30), clock=lambda: later).prune()
    assert await repo.digests.get(digest_id) is None
