"""Analysing big texts without holding the event loop.

An item of 100,000 characters of words the analyser has not seen costs about 0.7 s of
pymorphy3 (nearly all of it cache misses, ~60 µs a word); done in one go it freezes every
other chat's commands for that long, and twenty such items for half a minute. So a big text is
first walked word by word in slices of a few milliseconds, filling the analyser's word cache
through its public `word_keys`; the `Analyzer.document` that follows then only reads the cache
(about 50 ms for 100,000 characters).

Between slices the warming *sleeps* briefly rather than just yielding: a command needs dozens
of loop turns (middlewares, SQLite round trips through aiosqlite's thread, the HTTP reply), and
with a bare `sleep(0)` it would get one turn per slice, 10 ms each, half a second in all. A
short timer instead leaves the loop to everything else that is ready, so a command waits for
at most one slice in each of its few real waits.

One big text is warmed at a time (a lock), so however many chats search or feeds deliver big
items at once, a waiting command loses at most one slice per step.
"""

from __future__ import annotations

import asyncio
import time

from bot.matching.analyzer import Analyzer, Document
from bot.matching.text import TOKEN_RE, normalise

# Texts shorter than this are analysed at once: warming them would only add overhead.
SMALL_TEXT = 4_000
# Work between two pauses (seconds), and the pause that lets the rest of the loop run.
SLICE_SECONDS = 0.004
PAUSE_SECONDS = 0.002
_CHECK_EVERY = 16  # words between two looks at the clock


class SlicedAnalysis:
    """Shared by every caller that analyses feed text: the pipeline and /recent search."""

    def __init__(
        self,
        *,
        small_text: int = SMALL_TEXT,
        slice_seconds: float = SLICE_SECONDS,
        pause_seconds: float = PAUSE_SECONDS,
    ) -> None:
        self._small = small_text
        self._slice = slice_seconds
        self._pause = pause_seconds
        self._turn = asyncio.Lock()
        self.busy_seconds = 0.0  # time spent warming, for benchmarks and logs
        self.pauses = 0  # how often warming gave the loop away

    async def document(self, analyzer: Analyzer, text: str) -> Document:
        """`analyzer.document(text)`, with the expensive part spread over many loop turns."""
        if len(text) < self._small:
            return analyzer.document(text)
        async with self._turn:
            words = list(dict.fromkeys(m.group() for m in TOKEN_RE.finditer(normalise(text).text)))
            began = time.perf_counter()
            for n, word in enumerate(words, 1):
                analyzer.word_keys(word)
                if n % _CHECK_EVERY == 0 and time.perf_counter() - began >= self._slice:
                    self.busy_seconds += time.perf_counter() - began
                    self.pauses += 1
                    await asyncio.sleep(self._pause)
                    began = time.perf_counter()
            self.busy_seconds += time.perf_counter() - began
            return analyzer.document(text)
