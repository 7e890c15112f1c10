"""/recent: a chat's latest alerts, and a search of what it reads with the subscription rules.

The search scans the items of the feeds the asking chat reads (its own feeds and the defaults
it has on), newest first, and checks each with the same `CompiledQuery.match` that alerts use,
so «what would I have got» has the same answer as «what do I get». Its cost is bounded: at
most `max_scan` items and `budget` seconds of analysis per request, and big texts are analysed
in slices (`SlicedAnalysis`) so other chats are answered meanwhile.

Both list stories (items grouped by bot/stories, the key stored on each item), one entry per
story with the number of its reports the chat reads, so a page of ten is ten stories, not one
story told ten times.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.matching import Analyzer, CompiledQuery, MatchResult, item_text
from bot.matching.offload import SlicedAnalysis
from storage import Item, Repository
from storage.items import SearchCursor

PER_PAGE = 10
MAX_SCAN = 5000
BUDGET_SECONDS = 3.0
_BATCH = 200


@dataclass(frozen=True, slots=True)
class Found:
    """One story of a page, shown by one of its reports."""

    item: Item
    result: MatchResult | None  # None for delivered alerts: they matched when they were sent
    sources: int = 1  # reports of the story the chat reads (or got, for delivered alerts)


@dataclass(frozen=True, slots=True)
class Page:
    found: tuple[Found, ...]
    page: int
    has_more: bool
    scanned: int = 0
    truncated: bool = False  # the scan stopped at its bound before the archive ended
    ref: int = 0  # the stored search its page buttons name; 0 when it has a single page


async def search(
    repo: Repository,
    analyzer: Analyzer,
    query: CompiledQuery,
    *,
    chat_id: int,
    since: datetime,
    page: int,
    per_page: int = PER_PAGE,
    max_scan: int = MAX_SCAN,
    budget: float = BUDGET_SECONDS,
    analysis: SlicedAnalysis | None = None,
) -> Page:
    """One page of the stories `chat_id` reads matching `query`, newest first, seen since
    `since`; a page holds `per_page` stories and never splits one.

    A story is shown by its newest report that matches: the scan runs newest first, so a
    story's line is settled the moment the scan meets it (its first report may lie past the
    scan's bound, and an older page never changes a newer one's line), and the newest report
    carries the latest headline and figures. The story's other reports are not analysed at
    all. Its number of sources counts every report of it in the feeds the chat reads, over
    the same period. An article carried by two feeds the chat reads is listed once.

    `budget` bounds the time spent (analysis included, waiting for other chats' turns not
    counted beyond it): a scan that runs out says so with `truncated`, like one that reaches
    `max_scan`.
    """
    analysis = analysis or SlicedAnalysis()
    page = max(page, 0)
    wanted = (page + 1) * per_page + 1  # one more than shown tells whether a next page exists
    matches: list[Found] = []
    links: set[str] = set()
    stories: set[str] = set()  # stories already listed: their older reports are skipped
    scanned = 0
    after: SearchCursor | None = None
    exhausted = False
    deadline = time.monotonic() + budget
    while len(matches) < wanted and scanned < max_scan and time.monotonic() < deadline:
        batch = await repo.items.newest_for_chat(
            chat_id, since=since, after=after, limit=min(_BATCH, max_scan - scanned)
        )
        if not batch:
            exhausted = True
            break
        for item in batch:
            scanned += 1
            after = repo.items.cursor_of(item)
            if item.canonical_link is not None and item.canonical_link in links:
                continue
            if item.story is not None and item.story in stories:
                continue
            doc = await analysis.document(analyzer, item_text(item.title, item.text))
            result = query.match(doc)
            if result is not None:
                matches.append(Found(item, result))
                if item.canonical_link is not None:
                    links.add(item.canonical_link)
                if item.story is not None:
                    stories.add(item.story)
            if len(matches) >= wanted or time.monotonic() >= deadline:
                break
        await asyncio.sleep(0)  # let other chats' updates through between batches
    start = page * per_page
    shown = await _sized(repo, chat_id, matches[start : start + per_page], since)
    has_more = len(matches) > start + per_page
    truncated = not exhausted and not has_more and len(matches) < wanted
    return Page(shown, page, has_more, scanned, truncated)


async def _sized(
    repo: Repository, chat_id: int, found: list[Found], since: datetime
) -> tuple[Found, ...]:
    """The page's stories with their number of sources among the feeds the chat reads."""
    keys = [f.item.story for f in found if f.item.story is not None]
    sizes = await repo.items.story_sizes_for_chat(chat_id, keys, since=since) if keys else {}
    return tuple(
        f
        if f.item.story is None
        else dataclasses.replace(f, sources=max(sizes.get(f.item.story, 1), 1))
        for f in found
    )


async def paged_search(
    repo: Repository,
    analyzer: Analyzer,
    query: CompiledQuery,
    *,
    chat_id: int,
    now: datetime,
    days: int,
    page: int = 0,
    ref: int = 0,
    analysis: SlicedAnalysis | None = None,
) -> Page:
    """`search` over the last `days`, remembered (`Page.ref`) once it has more than one page.

    The page buttons then carry that small id instead of the query, which may be longer than
    a button's data can hold; any member of a group can page, after a restart too.
    """
    since = now - timedelta(days=days)
    found = await search(
        repo, analyzer, query, chat_id=chat_id, since=since, page=page, analysis=analysis
    )
    if not ref and (found.has_more or found.page > 0):
        ref = await repo.searches.remember(chat_id, query.raw, now)
    return dataclasses.replace(found, ref=ref)


async def delivered(
    repo: Repository, chat_id: int, *, page: int, per_page: int = PER_PAGE
) -> Page:
    """One page of the stories this chat was alerted about (or had held back), newest first.

    A story is shown by its alert, the report that reached the chat first (the message later
    reports were added to), with the number of reports the chat got of it.
    """
    page = max(page, 0)
    stories = await repo.items.stories_delivered_to_chat(
        chat_id, offset=page * per_page, limit=per_page + 1
    )
    found = tuple(Found(item, None, sources) for item, sources in stories[:per_page])
    return Page(found, page, len(stories) > per_page)
