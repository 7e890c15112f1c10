"""Full text of articles: for feeds that give a title or a lead, the article page's main text.

`policy` (which items, how texts join), `pages` (fetch within the feeds' limits), `extract`
and `pool` (trafilatura in worker processes), `enrich` (the bounded wait in ingest).
"""

from __future__ import annotations

from bot.fulltext.enrich import Completion, FullText, FullTextPolicy
from bot.fulltext.pages import Page, PageReader
from bot.fulltext.policy import combine, page_link, wants_pages
from bot.fulltext.pool import ExtractPool

__all__ = [
    "Completion",
    "ExtractPool",
    "FullText",
    "FullTextPolicy",
    "Page",
    "PageReader",
    "combine",
    "page_link",
    "wants_pages",
]
