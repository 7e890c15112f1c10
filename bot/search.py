"""/recent: a chat's latest alerts, and a search of stored news with the subscription rules.

The search scans items newest first and checks each with the same `CompiledQuery.match` that
alerts use, so «what would I have got» has the same answer as «what do I get». The scan is
bounded: a query that matches nothing must not read the whole archive on every button press.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.matching import Analyzer, CompiledQuery, MatchResult
from storage import Delivery, Item, Repository

PER_PAGE = 10
MAX_SCAN = 5000
_BATCH = 200


@dataclass(frozen=True, slots=True)
class Found:
    item: Item
    result: MatchResult | None  # None for delivered alerts: they matched when they were sent


@dataclass(frozen=True, slots=True)
class Page:
    found: tuple[Found, ...]
    page: int
    has_more: bool
    scanned: int = 0
    truncated: bool = False  # the scan stopped at its bound before the archive ended


def item_text(item: Item) -> str:
    """What a subscription is matched against: the title, a blank line, the text."""
    return item.title + "\n\n" + item.text


async def search(
    repo: Repository,
    analyzer: Analyzer,
    query: CompiledQuery,
    *,
    since: datetime,
    page: int,
    per_page: int = PER_PAGE,
    max_scan: int = MAX_SCAN,
) -> Page:
    """One page of stored items matching `query`, newest first, among items seen since `since`."""
    page = max(page, 0)
    wanted = (page + 1) * per_page + 1  # one more than shown tells whether a next page exists
    matches: list[Found] = []
    scanned = 0
    before: int | None = None
    exhausted = False
    while len(matches) < wanted and scanned < max_scan:
        batch = await repo.items.newest(
            since=since, before_id=before, limit=min(_BATCH, max_scan - scanned)
        )
        if not batch:
            exhausted = True
            break
        for item in batch:
            result = query.match(analyzer.document(item_text(item)))
            if result is not None:
                matches.append(Found(item, result))
        scanned += len(batch)
        before = batch[-1].id
        await asyncio.sleep(0)  # let other chats' updates through between batches
    start = page * per_page
    shown = tuple(matches[start : start + per_page])
    has_more = len(matches) > start + per_page
    truncated = not exhausted and scanned >= max_scan and not has_more
    return Page(shown, page, has_more, scanned, truncated)


async def delivered(
    repo: Repository, chat_id: int, *, page: int, per_page: int = PER_PAGE
) -> Page:
    """One page of the alerts this chat received (or had held back), newest first."""
    page = max(page, 0)
    rows: list[Delivery] = await repo.deliveries.sent_to_chat(
        chat_id, offset=page * per_page, limit=per_page + 1
    )
    found: list[Found] = []
    for d in rows[:per_page]:
        item = await repo.items.get(d.item_id)
        if item is not None:
            found.append(Found(item, None))
    return Page(tuple(found), page, len(rows) > per_page)
