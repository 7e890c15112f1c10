"""A bounded pool of worker processes for article extraction (never the event loop).

Extraction parses a whole HTML page with lxml and scores its blocks: 2-5 ms for an article,
about 100 ms for a 600 KB page of menus and scripts, seconds for a hostile 10 MB one, all of it
holding the GIL. It runs in worker processes started by the fork server (as the feed parser's
pool does, bot/feeds/pool.py: never forking the bot's threaded process). The fork server is one
per process and its preload list is the feed parser's, so this pool does not set it: a worker
imports trafilatura when it starts (about 0.3 s, once, from a thread). Pages queue on a
semaphore before the executor, so at most `workers` page bodies are in flight at a time. A
worker that dies (killed for memory) fails that page only: the next one gets fresh workers.
`processes=False` keeps one thread instead, for `preview`, where one-off pages do not pay for
starting a process.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.fulltext.extract import extract_text
from bot.orphans import watch_owner

log = logging.getLogger(__name__)


class ExtractFailed(Exception):
    """The worker died on a page; its `reason` is what /feeds shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _ready() -> None:
    """The first job of a worker: the extractor imported before any page waits for it."""
    import trafilatura  # noqa: F401


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


class ExtractPool:
    def __init__(self, workers: int = 1, *, max_chars: int, processes: bool = True) -> None:
        self.workers = max(1, workers)
        self.processes = processes
        self._max_chars = max_chars
        self._executor = self._new_executor()
        self._started = not processes
        self._starting: asyncio.Lock | None = None
        self._slots: asyncio.Semaphore | None = None

    async def extract(self, body: bytes, *, url: str, content_type: str | None) -> str:
        """The page's main text ("" when none); raises ExtractFailed when the worker died."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        call = functools.partial(
            extract_text, body, url=url, content_type=content_type, max_chars=self._max_chars
        )
        async with self._slots:
            executor = self._executor
            try:
                await self._start()
                return await asyncio.get_running_loop().run_in_executor(executor, call)
            except BrokenProcessPool:
                log.error("article extraction process died on %s", url)
                if self._executor is executor:
                    self._executor = self._new_executor()
                    self._started = False
                    executor.shutdown(wait=False)
                raise ExtractFailed("extraction process died") from None

    async def _start(self) -> None:
        if self._started:
            return
        if self._starting is None:
            self._starting = asyncio.Lock()
        async with self._starting:
            if not self._started:
                executor = self._executor
                await asyncio.to_thread(lambda: executor.submit(_ready).result())
                self._started = True

    def _new_executor(self) -> Executor:
        if not self.processes:
            return ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="extract")
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_context(),
            initializer=watch_owner,  # workers exit if the bot is killed (bot/orphans.py)
            initargs=(os.getpid(),),
        )

    def close(self) -> None:
        """Stop taking work; a running extraction finishes in its worker, unwaited."""
        self._executor.shutdown(wait=False, cancel_futures=True)
