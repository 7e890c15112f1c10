"""The running bot's story grouper: which items may shape stories, and rebuilding it at start.

Trust decides who shapes a story. Items of the operator's feeds join and extend stories (they
become members other items are compared with, and they count in the word statistics). An item
of a feed a chat added may *join* a story (so a chat reading that feed gets one alert, not
two), but never becomes a member: otherwise a feed anyone can add could publish bridging items
that chain two unrelated stories, and a chat that never reads that feed would get one story's
report folded silently into the other's alert. Such an item that joins nothing is a story of
its own.

The grouper lives in memory; what it needs after a restart is in the items table (each item's
story key). `restore` replays the window's operator items in publication order without
re-deciding anything, and `ready` holds the pipeline back until it has, so an item arriving
just after a restart joins the story it belongs to instead of starting a new one.

Several processes on one database each keep a grouper: before deciding, a desk given
`catch_up` replays the operator items other processes stored since it last looked (at most
once a second, re-reading a minute's overlap, since ids are taken at insert and committed in
any order). Two processes deciding the first two reports of one story in the same instant can
still start two stories; later reports join one of them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.matching import Analyzer
from bot.stories.grouper import StoryGrouper
from bot.stories.model import NewsItem
from storage import NewItem, Repository, story_key

log = logging.getLogger(__name__)

__all__ = ["RESTORE_LIMIT", "StoryDesk"]

# Items replayed at start at most (the newest are what new items join; a 24-hour window of
# five agencies is about 3,000).
RESTORE_LIMIT = 50_000
LOOK_EVERY = 1.0  # seconds between looks at other processes' items
OVERLAP = 60.0  # seconds of items re-read at each look


class StoryDesk:
    def __init__(
        self, analyzer: Analyzer, window_hours: float, *, catch_up: Repository | None = None
    ) -> None:
        self._grouper = StoryGrouper(analyzer, window_hours=window_hours)
        self._window = timedelta(hours=window_hours)
        self._ready = asyncio.Event()
        self._catch_up = catch_up
        self._marks: deque[tuple[float, int]] = deque()  # (monotonic, newest item id seen)
        self._looked = -OVERLAP
        self._merges: list[tuple[str, str]] = []

    @property
    def window(self) -> timedelta:
        return self._window

    async def ready(self) -> None:
        """Returns once the window has been rebuilt (at once when nothing was to rebuild)."""
        await self._ready.wait()

    def mark_ready(self) -> None:
        """For a desk that starts empty on purpose (tests, one-shot tools)."""
        self._ready.set()

    async def restore(self, repo: Repository, now: datetime) -> int:
        """Replay the stored items of the window; returns how many were put back."""
        try:
            self._marks.append((time.monotonic(), await repo.items.latest_id()))
            items = await repo.items.shaping_stories_since(now - self._window, limit=RESTORE_LIMIT)
            restored = 0
            for item in items:
                if item.story is None:
                    continue
                news = _news(item.feed_id, item.guid, item.published_at, item.title, item.text)
                self._grouper.restore(news, item.story)
                restored += 1
                await asyncio.sleep(0)  # a long window must not hold the first replies
            log.info("story window rebuilt from %d items", restored)
            return restored
        finally:
            self._ready.set()

    async def assign(
        self, feed_id: int, items: Sequence[NewItem], *, trusted: bool
    ) -> list[NewItem]:
        """`items` with their story keys, in the order given; decided in publication order."""
        await self.ready()
        await self._look_around()
        keys: dict[str, str] = {}
        for item in sorted(items, key=lambda i: i.published_at):
            news = _news(feed_id, item.guid, item.published_at, item.title, item.text)
            if trusted:
                keys[item.guid] = self._grouper.add(news)
                self._merges.extend(self._grouper.take_merges())
            else:
                keys[item.guid] = self._grouper.find(news) or news.id
            await asyncio.sleep(0)
        return [dataclasses.replace(i, story=keys.get(i.guid)) for i in items]

    def take_merges(self) -> list[tuple[str, str]]:
        """Stories merged by `assign` since the last call, (absorbed key, kept key) in order:
        the caller stores them with the items that caused them."""
        merges, self._merges = self._merges, []
        return merges

    def put_back(self, merges: list[tuple[str, str]]) -> None:
        """Merges whose store failed: they go out with the next batch (the grouper has them)."""
        self._merges[:0] = merges

    async def _look_around(self) -> None:
        """Replay what other processes stored since the last look (see the module doc)."""
        repo = self._catch_up
        now = time.monotonic()
        if repo is None or now - self._looked < LOOK_EVERY:
            return
        self._looked = now
        while len(self._marks) > 1 and self._marks[1][0] < now - OVERLAP:
            self._marks.popleft()
        after = self._marks[0][1] if self._marks else 0
        try:
            items = await repo.items.shaping_stories_after(after, limit=RESTORE_LIMIT)
        except Exception:  # grouping goes on with what this process knows
            log.warning("could not read other processes' items", exc_info=True)
            return
        newest = after
        for item in items:
            newest = max(newest, item.id)
            if item.story is not None:
                news = _news(item.feed_id, item.guid, item.published_at, item.title, item.text)
                self._grouper.restore(news, item.story)  # known items are skipped
        self._marks.append((now, newest))


def _news(feed_id: int, guid: str, published: datetime, title: str, text: str) -> NewsItem:
    """An item as the grouper knows it, the same before storing and when restored."""
    return NewsItem(story_key(feed_id, guid), str(feed_id), published, title, text)
