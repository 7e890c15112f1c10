"""Following what other processes on the same database do (several processes on one
PostgreSQL; on SQLite there are none and nothing here ever fires).

A subscription made through any process must match in every process within a second: its
change is announced with its id (storage/subscriptions.py) and each process re-reads it into
its own index. Refreshes run one at a time in arrival order, so two quick changes of one
subscription cannot land in the wrong order. After a lost connection the announcements sent
meanwhile are gone, so the whole index is rebuilt instead. Deliveries queued by any process
wake the leading process's sender at once instead of at its next idle look.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot.subscriptions import SubscriptionService
from storage.cluster import DELIVERIES, SUBSCRIPTIONS, Cluster

log = logging.getLogger(__name__)

__all__ = ["ClusterSync"]

_EVERYTHING = -1  # queued instead of an id: rebuild the whole index


class ClusterSync:
    def __init__(
        self,
        cluster: Cluster,
        subscriptions: SubscriptionService,
        on_deliveries: Callable[[], None],
    ) -> None:
        self._cluster = cluster
        self._subscriptions = subscriptions
        self._on_deliveries = on_deliveries
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        if not self._cluster.shared:
            return
        handlers = {SUBSCRIPTIONS: self._subscription_changed, DELIVERIES: self._deliveries}
        self._tasks = [
            asyncio.create_task(
                self._cluster.listen(handlers, self._reconnected, self._stop), name="db-listen"
            ),
            asyncio.create_task(self._apply(), name="subscription-sync"),
        ]

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _subscription_changed(self, payload: str) -> None:
        with contextlib.suppress(ValueError):
            self._queue.put_nowait(int(payload))

    def _deliveries(self, _payload: str) -> None:
        self._on_deliveries()

    async def _reconnected(self) -> None:
        """On every (re)connection, also the first: changes made between start-up's load and
        listening would be missed otherwise."""
        self._queue.put_nowait(_EVERYTHING)

    async def _apply(self) -> None:
        while True:
            sub_id = await self._queue.get()
            try:
                if sub_id == _EVERYTHING:
                    count = await self._subscriptions.reload()
                    log.info("subscriptions reloaded from the database: %d", count)
                else:
                    await self._subscriptions.refresh(sub_id)
            except Exception:  # the next change or reconnection tries again
                log.exception("could not follow a subscription change (%d)", sub_id)
