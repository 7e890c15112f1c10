"""Items → matches → pending deliveries, in one transaction.

Storing the new items and queueing their alerts commit together, so a crash can neither lose
an alert (item stored, delivery not) nor double one (item re-read as new after a restart).

Every feed is held to a storage quota (text per item, new items per day): a feed that rewrites
dozens of huge items on every poll cannot grow the database without bound, and what is cut is
recorded for /feeds. Alerts go only to a feed's readers, and a reader who already had an item
with the same link (from another feed it reads) is not alerted twice.

Full text (bot/fulltext): new items of a feed that gives only titles or leads are completed
with their article pages before they are grouped and matched, waiting FULLTEXT_TIMEOUT_SECONDS
at most. A page that comes later still counts: the late pass stores the item's full text,
matches it again, and queues an alert, in a small transaction of its own, for each reader the
item now matches who has no alert of the item or of its story; readers already alerted get
nothing new (the (chat, item) pair is unique, so it is at most once however it races).

Stories: each new item gets its story (bot/stories/live.py) before the transaction, since
grouping is CPU work and needs no row ids. A chat that already has a live alert for the story
(and has grouping on) gets the item attached to that alert as a further source, which asks
for a silent edit, instead of a new push.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock, utc_now
from bot.fulltext import FullText, Page, combine
from bot.matching import item_text
from bot.matching.offload import SlicedAnalysis
from bot.metrics import Metrics
from bot.stories.live import StoryDesk
from bot.subscriptions import SubscriptionHit, SubscriptionService
from bot.text import cut
from storage import Delivery, Feed, Item, NewDelivery, NewItem, NewSource, Repository

log = logging.getLogger(__name__)

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
        metrics: Metrics | None = None,
        stories: StoryDesk | None = None,
        fulltext: FullText | None = None,
        on_late: Callable[[], None] = lambda: None,
        clock: Clock = utc_now,
    ) -> None:
        self._repo = repo
        self._fulltext = fulltext
        self._on_late = on_late  # the late pass queued alerts: wake the delivery worker
        self._clock = clock
        self._late: set[asyncio.Task[None]] = set()
        self._stories = stories
        self._subscriptions = subscriptions
        self._quota = quota or Quota()
        self._analysis = analysis or SlicedAnalysis()
        self._metrics = metrics or Metrics()  # matching time per item

    async def ingest(
        self,
        feed_id: int,
        items: Sequence[NewItem],
        now: datetime,
        *,
        alert: bool,
        trusted: bool = False,
        feed: Feed | None = None,
    ) -> IngestResult:
        """Store what is new (within the quota); queue alerts unless this is a silent first fetch.

        Matching (the CPU part) runs before the write transaction, on the items a read-only
        check finds new, and yields to the loop while it analyses big texts, so the writer
        lock is held only for the inserts and other chats' commands are answered meanwhile.
        `trusted`: an operator's feed, whose items may shape stories (see bot/stories/live.py).
        `feed`: its record, for the full-text step (its mode; whose fetcher reads its pages).
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
        late: dict[str, asyncio.Task[Page]] = {}
        if alert and kept and feed is not None and self._fulltext is not None:
            done = await self._fulltext.complete(feed, [i.text for i in items], kept)
            kept = [dataclasses.replace(i, text=_clip(i.text, limit)) for i in done.items]
            late = done.late
            await self._record_pages(feed.id, now, ok=done.read > 0, error=done.error)
        merges: list[tuple[str, str]] = []
        if self._stories is not None and kept:
            kept = await self._stories.assign(feed_id, kept, trusted=trusted)
            merges = self._stories.take_merges()
        hits: dict[str, list[SubscriptionHit]] = {}
        if alert:
            for new in kept:
                hits[new.guid] = await self._match(new.title, new.text)
                await asyncio.sleep(0)  # one item at a time: let handlers in between
        if dropped or clipped:
            await self._repo.feeds.record_cut(
                feed_id, dropped=dropped, clipped=bool(clipped), now=now
            )
        try:
            result = await self._store(feed_id, kept, merges, hits, now, alert, dropped, clipped)
        except BaseException:
            for task in late.values():
                task.cancel()
            if self._stories is not None:
                self._stories.put_back(merges)
            raise
        self._after(result.new_items, late, {i.guid: i.text for i in kept})
        return result

    async def _store(
        self,
        feed_id: int,
        kept: list[NewItem],
        merges: list[tuple[str, str]],
        hits: dict[str, list[SubscriptionHit]],
        now: datetime,
        alert: bool,
        dropped: int,
        clipped: int,
    ) -> IngestResult:
        async with self._repo.db.transaction():
            # Before the items: a report that merged two stories is stored, matched against
            # mutes and joined to alerts under the kept story's key.
            await self._repo.story_merges.merge(merges, now)
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

    def _after(
        self, stored: Sequence[Item], late: dict[str, asyncio.Task[Page]], texts: dict[str, str]
    ) -> None:
        """A late pass for each stored item whose page is still coming; the rest are dropped."""
        for item in stored:
            page = late.pop(item.guid, None)
            if page is not None:
                work = self._late_pass(item, texts.get(item.guid, item.text), page)
                task = asyncio.create_task(work, name=f"late-{item.id}")
                self._late.add(task)
                task.add_done_callback(self._late.discard)
        for page in late.values():
            page.cancel()

    async def _late_pass(self, item: Item, feed_text: str, page: asyncio.Task[Page]) -> None:
        try:
            got = await page
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("reading the page of item %s failed", item.id)
            got = Page(error="internal error reading the page")
        try:
            queued = await self.complete_late(item, feed_text, got)
        except asyncio.CancelledError:
            raise
        except Exception:  # one item's late pass must not take anything else down
            log.exception("the late full-text pass of item %s failed", item.id)
            return
        if queued:
            self._on_late()

    async def complete_late(self, item: Item, feed_text: str, page: Page) -> int:
        """Store the item's full text from a page that came after the deadline, match it
        again, and queue alerts for the readers it now matches who have no alert of it nor of
        its story. Returns the alerts queued."""
        now = self._clock()
        await self._record_pages(item.feed_id, now, ok=bool(page.text), error=page.error)
        if not page.text:
            return 0
        text = _clip(combine(feed_text, page.text), self._quota.max_text_chars)
        if text == item.text:
            return 0
        found = await self._match(item.title, text)
        full = dataclasses.replace(item, text=text)
        async with self._repo.db.transaction():
            if not await self._repo.items.complete_text(item.id, text):
                return 0  # pruned meanwhile
            readers = await self._repo.feeds.readers(item.feed_id)
            # Chats with an alert of the story (this item's or another report's) come back as
            # sources: they were alerted, and get nothing new.
            heads, _ = await self._deliveries_for(full, found, readers)
            return await self._repo.deliveries.enqueue(heads, now)

    async def _record_pages(
        self, feed_id: int, now: datetime, *, ok: bool, error: str | None
    ) -> None:
        if ok or error is not None:
            await self._repo.feeds.record_pages(feed_id, now=now, ok=ok, error=error)

    async def stop(self) -> None:
        """Late passes still waiting for pages are dropped (those items keep the feed's text)."""
        tasks = list(self._late)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _match(self, title: str, text: str) -> list[SubscriptionHit]:
        analyzer = self._subscriptions.analyzer
        started = time.perf_counter()
        doc = await self._analysis.document(analyzer, item_text(title, text))
        hits = self._subscriptions.match(doc)
        self._metrics.matching_seconds.observe(time.perf_counter() - started)
        return hits

    async def _deliveries_for(
        self, item: Item, hits: list[SubscriptionHit], readers: set[int]
    ) -> tuple[list[NewDelivery], list[NewSource]]:
        """One alert per destination: a chat, or a forum topic of it (subscriptions made in
        two topics of one group firing on one item alert each topic once). Link dedupe and
        story grouping count per destination too; listening (paused, gone) is per chat."""
        by_dest: dict[tuple[int, int], list[SubscriptionHit]] = defaultdict(list)
        for hit in hits:
            # A subscription removed or paused since the match no longer fires.
            if hit.chat_id in readers and self._subscriptions.holds(hit.subscription_id):
                by_dest[(hit.chat_id, hit.thread_id)].append(hit)
        listening = await self._repo.chats.listening(sorted({c for c, _ in by_dest}))
        if item.story is not None and listening:  # a story muted from an alert: no alert, no join
            muted = await self._repo.tuning.muted(item.story, sorted(listening), self._clock())
            listening -= muted
        dests = sorted(d for d in by_dest if d[0] in listening)
        if item.canonical_link is not None and dests:
            # The same story from another feed this destination reads was already alerted.
            seen = await self._repo.deliveries.destinations_with_link(
                item.canonical_link, sorted(listening), other_than=item.id
            )
            dests = [d for d in dests if d not in seen]
        alerts: dict[tuple[int, int], Delivery] = {}
        if item.story is not None and dests:
            grouping = await self._repo.chats.grouping(sorted({c for c, _ in dests}))
            if grouping:
                alerts = await self._repo.deliveries.story_alerts(item.story, sorted(grouping))
        fresh: list[NewDelivery] = []
        sources: list[NewSource] = []
        for chat_id, thread_id in dests:
            hits = sorted(by_dest[(chat_id, thread_id)], key=lambda h: h.subscription_id)
            ids = tuple(h.subscription_id for h in hits)
            queries = tuple(h.query for h in hits)
            alert = alerts.get((chat_id, thread_id))
            if alert is not None:
                sources.append(NewSource(alert.id, item.id, ids, queries))
            else:
                fresh.append(NewDelivery(chat_id, item.id, ids, queries, thread_id))
        return fresh, sources
