"""A dedicated, bounded executor for feed parsing.

feedparser on a 10 MB feed takes seconds and hundreds of megabytes. In Python's default thread
pool (what `asyncio.to_thread` uses) six such parses at once took the process to 1.2 GB and
made DNS lookups, which share that pool, wait for almost a minute. Parsing gets its own threads
instead, and bodies queue *before* the executor (on a semaphore), so at most `workers` parses
hold memory at a time and nothing else waits behind them.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.feeds.fetcher import FetchResult
from bot.feeds.parser import ParsedFeed, parse_feed


class ParsePool:
    def __init__(self, workers: int = 1, *, name: str = "feed-parse") -> None:
        self.workers = max(1, workers)
        self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix=name)
        self._slots: asyncio.Semaphore | None = None
        self.waiting = 0  # parses queued for a slot right now (for tests and logs)

    async def parse(self, fetched: FetchResult, *, fetched_at: datetime) -> ParsedFeed:
        """The fetched body as a feed, read with the charset and type its response declared."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        call = functools.partial(
            parse_feed,
            fetched.body or b"",
            url=fetched.url,
            content_type=fetched.content_type,
            fetched_at=fetched_at,
        )
        self.waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self.waiting -= 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, call)
        finally:
            self._slots.release()

    def close(self) -> None:
        """Stop taking work; a parse already running finishes in its thread."""
        self._executor.shutdown(wait=False, cancel_futures=True)
