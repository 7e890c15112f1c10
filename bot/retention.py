"""Retention: items older than `RETENTION_DAYS` are deleted, once at start and then hourly.

Their deliveries go with them, and stories muted from an alert and finished digests are
forgotten after as long (a mute lasts at most the retention period); an item whose alert is
still pending stays until it is sent (storage/items.py). /recent therefore searches at most
the retention period.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.clock import Clock, utc_now, wait_for_event
from storage import Repository

log = logging.getLogger(__name__)

__all__ = ["Retention"]


class Retention:
    def __init__(
        self,
        repo: Repository,
        keep: timedelta,
        *,
        every: timedelta = timedelta(hours=1),
        clock: Clock = utc_now,
    ) -> None:
        self._repo = repo
        self._keep = keep
        self._every = every
        self._clock = clock
        self._stopping = asyncio.Event()

    async def prune(self) -> int:
        """Delete what is past the retention period now; returns how many items went."""
        now = self._clock()
        removed = await self._repo.items.prune(now - self._keep)
        if removed:
            log.info("pruned %d items older than %s", removed, self._keep)
        await self._repo.tuning.prune(now, now - self._keep)  # muted stories end with them
        await self._repo.story_merges.prune(now - self._keep)  # aliases name only kept items
        await self._repo.digests.prune(now - self._keep)  # finished digests, as long as items
        return removed

    async def run(self) -> None:
        """Prune now and every `every` until `stop()`; a failed pass is retried next time."""
        while not self._stopping.is_set():
            try:
                await self.prune()
            except Exception:  # the database may be busy or full; the next pass tries again
                log.exception("pruning old items failed")
            await wait_for_event(self._stopping, self._every.total_seconds())

    def stop(self) -> None:
        self._stopping.set()
