"""The full-text step of ingest: complete new items with their pages, waiting a bounded time.

All pages of one poll are fetched at once (within the per-site bound) and waited for together,
at most FULLTEXT_TIMEOUT_SECONDS: the items whose pages came are matched on title + full text,
the rest on what the feed gave, so an alert is never held longer than that for a page, and a
slow site costs its own items that much at most (other feeds are polled meanwhile: pages hold
none of the poller's slots). A page still loading at the deadline goes on within its own fetch
limits and is handed back as `late`, for the pipeline's late pass (a match found only in it
still alerts once, see bot/pipeline.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.fulltext.pages import Page, PageReader
from bot.fulltext.policy import combine, page_link, wants_pages
from storage import Feed, NewItem

__all__ = ["Completion", "FullText", "FullTextPolicy"]


@dataclass(frozen=True)
class FullTextPolicy:
    timeout: float = 10.0  # FULLTEXT_TIMEOUT_SECONDS
    min_feed_chars: int = 1_200  # FULLTEXT_MIN_FEED_CHARS: the auto mode's threshold


@dataclass
class Completion:
    items: list[NewItem]  # in the order given, texts completed where the page came in time
    late: dict[str, asyncio.Task[Page]] = field(default_factory=dict)  # guid -> page to come
    read: int = 0  # pages that gave a text in time
    error: str | None = None  # the last failure among the pages that came in time


class FullText:
    def __init__(self, reader: PageReader, policy: FullTextPolicy | None = None) -> None:
        self._reader = reader
        self._policy = policy or FullTextPolicy()

    @property
    def reader(self) -> PageReader:
        return self._reader

    async def complete(
        self, feed: Feed, listed: Sequence[str], items: Sequence[NewItem]
    ) -> Completion:
        """`items` (new, to be matched) completed with their pages; `listed`: the texts of
        every item the feed lists now, which the auto mode judges the feed by."""
        policy = self._policy
        done = Completion(list(items))
        if not items or not wants_pages(
            feed.fulltext_mode, feed.url, listed, policy.min_feed_chars
        ):
            return done
        tasks: dict[str, asyncio.Task[Page]] = {}
        for item in items:
            link = page_link(item.link)
            if link is not None and item.guid not in tasks:
                read = self._reader.read(link, trusted=feed.is_default)
                tasks[item.guid] = asyncio.create_task(read, name=f"page-{feed.id}")
        if not tasks:
            return done
        try:
            await asyncio.wait(tasks.values(), timeout=policy.timeout)
        except BaseException:  # cancelled while waiting: the pages go with it
            for task in tasks.values():
                task.cancel()
            raise
        pages: dict[str, Page] = {}
        for guid, task in tasks.items():
            if not task.done():
                done.late[guid] = task
            elif task.cancelled() or task.exception() is not None:
                pages[guid] = Page(error="internal error reading the page")
            else:
                pages[guid] = task.result()
        for n, item in enumerate(done.items):
            page = pages.get(item.guid)
            if page is None:
                continue
            if page.text:
                done.items[n] = dataclasses.replace(item, text=combine(item.text, page.text))
                done.read += 1
            else:
                done.error = page.error
        return done
