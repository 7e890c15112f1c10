"""`python -m bot preview --full-text`: what reading the article pages changes on a feed.

Every item's page is read the way the bot reads it (the same fetcher limits, extractor and
cap; pages of a preview are the operator's own choice, so trusted), whatever the feed's mode
would decide: the point is to see the difference. Per item: the feed's text length against the
completed text's, why a page gave nothing, and which of the given queries match only thanks to
the page. The alerts that follow are then the ones the bot would send with full text on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from dataclasses import dataclass

from bot.feeds import Fetcher, FetchLimits, ParsedFeed, make_session
from bot.fulltext.pages import Page, PageReader
from bot.fulltext.policy import combine, page_link
from bot.fulltext.pool import ExtractPool
from bot.matching import Analyzer, CompiledQuery, item_text

__all__ = ["PageReport", "complete_feed", "read_pages"]


@dataclass(frozen=True)
class PageReport:
    guid: str
    title: str
    feed_chars: int
    full_chars: int  # the item's text once completed (= feed_chars when the page gave none)
    error: str | None
    only_with_page: tuple[str, ...]  # queries that match the completed item, not the feed's

    def line(self) -> str:
        outcome = f"{self.full_chars} chars" if self.error is None else f"no text: {self.error}"
        extra = f"; only with the page: {', '.join(self.only_with_page)}" * bool(
            self.only_with_page
        )
        return f"{self.title[:70]}\n    feed {self.feed_chars} chars → page {outcome}{extra}"

    def as_json(self) -> str:
        return json.dumps({"page": dataclasses.asdict(self)}, ensure_ascii=False)


async def read_pages(
    parsed: ParsedFeed, limits: FetchLimits, *, max_chars: int, per_host: int = 2
) -> dict[str, Page]:
    """Each item's page (by guid); items without a link that may be fetched are absent."""
    pool = ExtractPool(1, max_chars=max_chars, processes=False)
    try:
        async with make_session(limits) as session:
            fetcher = Fetcher(session, limits)
            reader = PageReader(trusted=fetcher, guarded=fetcher, pool=pool, per_host=per_host)
            links = {i.guid: page_link(i.link) for i in parsed.items}
            wanted = {guid: link for guid, link in links.items() if link is not None}
            pages = await asyncio.gather(
                *(reader.read(link, trusted=True) for link in wanted.values())
            )
    finally:
        pool.close()
    return dict(zip(wanted, pages, strict=True))


def complete_feed(
    parsed: ParsedFeed,
    pages: dict[str, Page],
    queries: list[CompiledQuery],
    analyzer: Analyzer,
) -> tuple[ParsedFeed, list[PageReport]]:
    """The feed with its items' texts completed, and what that changed per item."""
    items = []
    reports = []
    for item in parsed.items:
        page = pages.get(item.guid, Page(error="no link to read"))
        full = combine(item.text, page.text) if page.text else item.text
        before = analyzer.document(item_text(item.title, item.text))
        after = analyzer.document(item_text(item.title, full))
        gained = tuple(
            q.raw for q in queries if q.match(after) is not None and q.match(before) is None
        )
        reports.append(
            PageReport(item.guid, item.title, len(item.text), len(full), page.error, gained)
        )
        items.append(dataclasses.replace(item, text=full))
    return dataclasses.replace(parsed, items=tuple(items)), reports
