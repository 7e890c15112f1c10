"""A dedicated, bounded pool of worker processes for feed parsing.

feedparser on a 10 MB feed takes seconds and hundreds of megabytes. In a thread it also holds
the GIL for most of that time, so the event loop (every chat's commands, every other feed)
stalled behind it: the poller's worst loop lag reached 166 ms. Parsing therefore runs in
worker processes; the loop only sends the body and unpickles the `ParsedFeed` that comes back.

Bodies queue *before* the executor (on a semaphore), so at most `workers` parses hold memory
at a time and a burst of big feeds waits here rather than piling bodies into the pipe.

Workers are started by a fork server (spawn where there is none), never by forking the
bot's process, which has threads (aiosqlite, DNS) whose locks a fork could copy held. The
server preloads the parser once, so a new worker starts in milliseconds rather than paying
the imports again. Workers are started on first use, so a pool nobody uses costs nothing,
and started from a thread: the first start waits for the fork server to boot and import the
parser (about 150 ms of loop lag when done from the loop).
A one-off parse (`processes=False`: preview, a single check) keeps a thread: starting a
process for one feed would cost more than it saves.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

# A module import, not `from … import`: bot.channels.page reads bot.feeds' modules, whose
# package imports this one, so the page module may still be loading when this line runs.
import bot.channels.page as channel_page
from bot.channels.names import is_channel_feed
from bot.feeds.fetcher import FetchResult
from bot.feeds.parser import ParsedFeed, parse_feed
from bot.orphans import watch_owner

log = logging.getLogger(__name__)

_PRELOAD = ["bot.feeds.parser", "bot.channels.page"]


def _ready() -> None:
    """A no-op job: running it proves a worker is up."""


def _start_workers(executor: Executor, workers: int) -> None:
    for job in [executor.submit(_ready) for _ in range(workers)]:
        job.result()


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


class ParsePool:
    def __init__(
        self, workers: int = 1, *, name: str = "feed-parse", processes: bool = True
    ) -> None:
        self.name = name
        self.workers = max(1, workers)
        self.processes = processes
        self._executor = self._new_executor()
        self._started = not processes  # threads cost nothing to start
        self._starting: asyncio.Lock | None = None
        self._slots: asyncio.Semaphore | None = None
        self.waiting = 0  # parses queued for a slot right now (for tests and logs)

    async def parse(self, fetched: FetchResult, *, fetched_at: datetime) -> ParsedFeed:
        """The fetched body as a feed, read with the charset and type its response declared."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        # A channel's preview page (its result carries the channel's feed URL) is HTML.
        parse = channel_page.parse_channel_page if is_channel_feed(fetched.url) else parse_feed
        call = functools.partial(
            parse,
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
            executor = self._executor
            try:
                await self._start()
                return await asyncio.get_running_loop().run_in_executor(executor, call)
            except BrokenProcessPool:
                # A worker died (killed for memory on a hostile feed): this feed fails, the
                # next parse gets fresh workers instead of the broken pool forever.
                log.error("feed parser process died on %s", fetched.url)
                if self._executor is executor:
                    self._executor = self._new_executor()
                    self._started = False
                    executor.shutdown(wait=False)
                return ParsedFeed(None, None, (), error="cannot parse feed (parser process died)")
        finally:
            self._slots.release()

    async def _start(self) -> None:
        if self._started:
            return
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if not self._started:
                await asyncio.to_thread(_start_workers, self._executor, self.workers)
                self._started = True

    def _new_executor(self) -> Executor:
        if not self.processes:
            return ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix=self.name)
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_context(),
            initializer=watch_owner,  # workers exit if the bot is killed (bot/orphans.py)
            initargs=(os.getpid(),),
        )

    def close(self) -> None:
        """Stop taking work; queued parses are cancelled, a running one finishes, and the
        workers exit when it has (without blocking the caller)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
