"""Fetching one article page and extracting its text, within the feeds' limits.

The page goes through the same Fetcher as feeds (size cap after decompression, timeouts,
redirects followed by hand): the trusted one for the operator's feeds, the guarded one for
feeds a chat added, so a chat's feed cannot point the bot at the operator's network through its
items' links, on any redirect hop. At most FULLTEXT_PER_HOST pages of one site are fetched at
once (a burst of 20 new items must not hammer one newsroom), on semaphores of their own, so
pages never take the feed poller's slots. Every outcome is a value: a `Page` with the text, or
with the reason it has none (shown in /feeds).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.feeds import Fetcher
from bot.fulltext.pool import ExtractFailed, ExtractPool

__all__ = ["Page", "PageReader"]

# Types a news page comes as; no declared type is tried too (servers forget it).
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class Page:
    text: str = ""
    error: str | None = None  # why there is no text (a fetch failure, not an article…)


class PageReader:
    def __init__(
        self, *, trusted: Fetcher, guarded: Fetcher, pool: ExtractPool, per_host: int = 2
    ) -> None:
        self._trusted = trusted
        self._guarded = guarded
        self._pool = pool
        self._per_host = max(1, per_host)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    @property
    def pool(self) -> ExtractPool:
        return self._pool

    def _host_slots(self, link: str) -> asyncio.Semaphore:
        host = (urlsplit(link).hostname or "").lower()
        if host not in self._hosts:
            self._hosts[host] = asyncio.Semaphore(self._per_host)
        return self._hosts[host]

    async def read(self, link: str, *, trusted: bool) -> Page:
        """The article at `link`: `trusted` for an operator's feed, else every hop is guarded."""
        fetcher = self._trusted if trusted else self._guarded
        async with self._host_slots(link):
            result = await fetcher.fetch(link)
        if not result.ok or result.body is None:
            return Page(error=result.error or "empty response")
        kind = (result.content_type or "").split(";")[0].strip().lower()
        if kind and kind not in _HTML_TYPES:
            return Page(error=f"not a web page ({kind[:40]})")
        try:
            text = await self._pool.extract(
                result.body, url=result.url, content_type=result.content_type
            )
        except ExtractFailed as exc:
            return Page(error=exc.reason)
        if not text:
            return Page(error="no article text found on the page")
        return Page(text)

    def close(self) -> None:
        self._pool.close()
