"""Items → matches → pending deliveries, in one transaction.

Storing the new items and queueing their alerts commit together, so a crash can neither lose
an alert (item stored, delivery not) nor double one (item re-read as new after a restart).

Every feed is held to a storage quota (text per item, new items per day): a feed that rewrites
dozens of huge items on every poll cannot grow the database without bound, and what is cut is
recorded for /feeds. Alerts go only to a feed's readers, and a reader who already had an item
with the same link (from another feed it reads) is not alerted twice.

Stories: each new item gets its story (bot/stories/live.py) before the transaction, since
grouping is CPU work and needs no row ids. A chat that already has a live alert for the story
(and has grouping on) gets the item attached to that alert as a further source, which asks
for a silent edit, instead of a new push.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.matching import item_text
from bot.matching.offload import SlicedAnalysis
from bot.stories.live import StoryDesk
from bot.subscriptions import SubscriptionHit, SubscriptionService
from bot.text import cut
from storage import Delivery, Item, NewDelivery, NewItem, NewSource, Repository

_DAY = timedelta(days=1)
# A text over the quota is cut at a space among its last 200 characters when there is one.
_WORD_ROOM = 200


@dataclass(frozen=True)
class Quota:
    """Per-feed storage limits (ITEM_MAX_CHARS, FEED_MAX_ITEMS_PER_DAY)."""

    max_text_chars: int = 20_000
    max_items_per_day: int = 1_000


@dataclass(frozen=True)
class IngestResult:
    new_items: tuple[Item, ...]
    deliveries: int
    joined: int = 0  # items attached to chats' existing alerts of their story
    dropped: int = 0  # new items not stored: over the feed's daily quota
    clipped: int = 0  # new items whose text was shortened to the quota


def _clip(text: str, limit: int) -> str:
    return cut(text, limit, word_after=max(limit - _WORD_ROOM - 2, 0))


class Ingestor:
    def __init__(
        self,
        repo: Repository,
        subscriptions: SubscriptionService,
        *,
        quota: Quota | None = None,
        analysis: SlicedAnalysis | None = None,
        stories: StoryDesk | None = None,
    ) -> None:
        self._repo = repo
        self._stories = stories
        self._subscriptions = subscriptions
        self._quota = quota or Quota()
        self._analysis = analysis or SlicedAnalysis()

    async def ingest(
        self,
        feed_id: int,
        items: Sequence[NewItem],
        now: datetime,
        *,
        alert: bool,
        trusted: bool = False,
    ) -> IngestResult:
        """Store what is new (within the quota); queue alerts unless this is a silent first fetch.

        Matching (the CPU part) runs before the write transaction, on the items a read-only
        check finds new, and yields to the loop while it analyses big texts, so the writer
        lock is held only for the inserts and other chats' commands are answered meanwhile.
        `trusted`: an operator's feed, whose items may shape stories (see bot/stories/live.py).
        """
        limit = self._quota.max_text_chars
        long = {i.guid for i in items if len(i.text) > limit}
        fresh = await self._repo.items.unseen(
            feed_id, [dataclasses.replace(i, text=_clip(i.text, limit)) for i in items]
        )
        stored_today = await self._repo.items.count_for_feed_since(feed_id, now - _DAY)
        room = max(self._quota.max_items_per_day - stored_today, 0)
        kept, dropped = fresh[:room], len(fresh) - min(len(fresh), room)
        clipped = sum(1 for i in kept if i.guid in long)
        if self._stories is not None and kept:
            kept = await self._stories.assign(feed_id, kept, trusted=trusted)
        hits: dict[str, list[SubscriptionHit]] = {}
        if alert:
            for new in kept:
                hits[new.guid] = await self._match(new.title, new.text)
                await asyncio.sleep(0)  # one item at a time: let handlers in between
        if dropped or clipped:
            await self._repo.feeds.record_cut(
                feed_id, dropped=dropped, clipped=bool(clipped), now=now
            )
        async with self._repo.db.transaction():
            stored = await self._repo.items.insert_new(feed_id, kept, now)
            if not alert or not stored:
                return IngestResult(tuple(stored), 0, dropped=dropped, clipped=clipped)
            readers = await self._repo.feeds.readers(feed_id)
            queued = joined = 0
            # Oldest first: the first report of a story is the one alerted, later ones join it.
            for item in sorted(stored, key=lambda i: (i.published_at, i.id)):
                found = hits.get(item.guid)
                if found is None:  # not pre-matched (cannot happen: insert_new ⊆ unseen)
                    found = await self._match(item.title, item.text)
                heads, sources = await self._deliveries_for(item, found, readers)
                queued += await self._repo.deliveries.enqueue(heads, now)
                joined += await self._repo.stories.join(sources, now)
        return IngestResult(tuple(stored), queued, joined, dropped=dropped, clipped=clipped)

    async def _match(self, title: str, text: str) -> list[SubscriptionHit]:
        analyzer = self._subscriptions.analyzer
        doc = await self._analysis.document(analyzer, item_text(title, text))
        return self._subscriptions.match(doc)

    async def _deliveries_for(
        self, item: Item, hits: list[SubscriptionHit], readers: set[int]
    ) -> tuple[list[NewDelivery], list[NewSource]]:
        by_chat: dict[int, list[SubscriptionHit]] = defaultdict(list)
        for hit in hits:
            # A subscription removed or paused since the match no longer fires.
            if hit.chat_id in readers and self._subscriptions.holds(hit.subscription_id):
                by_chat[hit.chat_id].append(hit)
        listening = await self._repo.chats.listening(sorted(by_chat))
        if item.canonical_link is not None and listening:
            # The same story from another feed this chat reads was already alerted.
            listening -= await self._repo.items.chats_with_link(
                item.canonical_link, sorted(listening), other_than=item.id
            )
        chats = sorted(listening)
        alerts: dict[int, Delivery] = {}
        if item.story is not None and chats:
            grouping = await self._repo.chats.grouping(chats)
            if grouping:
                alerts = await self._repo.stories.alerts_for(item.story, sorted(grouping))
        fresh: list[NewDelivery] = []
        sources: list[NewSource] = []
        for chat_id in chats:
            hits = sorted(by_chat[chat_id], key=lambda h: h.subscription_id)
            ids = tuple(h.subscription_id for h in hits)
            queries = tuple(h.query for h in hits)
            alert = alerts.get(chat_id)
            if alert is not None:
                sources.append(NewSource(alert.id, item.id, ids, queries))
            else:
                fresh.append(NewDelivery(chat_id, item.id, ids, queries))
        return fresh, sources
