"""Items → matches → pending deliveries, in one transaction.

Storing the new items and queueing their alerts commit together, so a crash can neither lose
an alert (item stored, delivery not) nor double one (item re-read as new after a restart).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.subscriptions import SubscriptionHit, SubscriptionService
from storage import Item, NewDelivery, NewItem, Repository


@dataclass(frozen=True)
class IngestResult:
    new_items: tuple[Item, ...]
    deliveries: int


def item_document_text(title: str, text: str) -> str:
    """The text an item is matched on; the blank line keeps phrases out of title + body."""
    return f"{title}\n\n{text}" if text else title


class Ingestor:
    def __init__(self, repo: Repository, subscriptions: SubscriptionService) -> None:
        self._repo = repo
        self._subscriptions = subscriptions

    async def ingest(
        self, feed_id: int, items: Sequence[NewItem], now: datetime, *, alert: bool
    ) -> IngestResult:
        """Store what is new; queue alerts for it unless this is the feed's silent first fetch.

        Matching (the CPU part) runs before the write transaction, on the items a read-only
        check finds new, so the writer lock is held only for the inserts and commands that
        need to write are not kept waiting behind a big batch.
        """
        hits: dict[str, list[SubscriptionHit]] = {}
        if alert:
            for fresh in await self._repo.items.unseen(feed_id, items):
                hits[fresh.guid] = self._match(fresh.title, fresh.text)
                await asyncio.sleep(0)  # one item at a time: let handlers in between
        async with self._repo.db.transaction():
            stored = await self._repo.items.insert_new(feed_id, items, now)
            if not alert or not stored:
                return IngestResult(tuple(stored), 0)
            readers = await self._repo.feeds.readers(feed_id)
            pending: list[NewDelivery] = []
            for item in stored:
                found = hits.get(item.guid)
                if found is None:  # stored by nobody else meanwhile, but not pre-matched
                    found = self._match(item.title, item.text)
                pending.extend(await self._deliveries_for(item, found, readers))
            queued = await self._repo.deliveries.enqueue(pending, now)
        return IngestResult(tuple(stored), queued)

    def _match(self, title: str, text: str) -> list[SubscriptionHit]:
        doc = self._subscriptions.analyzer.document(item_document_text(title, text))
        return self._subscriptions.match(doc)

    async def _deliveries_for(
        self, item: Item, hits: list[SubscriptionHit], readers: set[int]
    ) -> list[NewDelivery]:
        by_chat: dict[int, list[SubscriptionHit]] = defaultdict(list)
        for hit in hits:
            # A subscription removed or paused since the match no longer fires.
            if hit.chat_id in readers and self._subscriptions.holds(hit.subscription_id):
                by_chat[hit.chat_id].append(hit)
        listening = await self._repo.chats.listening(sorted(by_chat))
        result = []
        for chat_id in sorted(listening):
            hits = sorted(by_chat[chat_id], key=lambda h: h.subscription_id)
            result.append(
                NewDelivery(
                    chat_id=chat_id,
                    item_id=item.id,
                    subscription_ids=tuple(h.subscription_id for h in hits),
                    matched_queries=tuple(h.query for h in hits),
                )
            )
        return result
