"""Retention runs on its own, beside the poller: old items go, and the task stops when told."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.retention import Retention
from tests.conftest import NOW
from tests.pipeline.conftest import Rig


async def test_items_older_than_the_retention_period_are_pruned(rig: Rig) -> None:
    for task in await rig.poller.poll_due():
        await task
    retention = Retention(rig.repo, timedelta(days=30), clock=rig.clock)
    assert await retention.prune() == 0  # all fresh

    rig.clock.advance(31 * 24 * 3600)
    assert await retention.prune() == 198
    assert await rig.repo.items.count_since(NOW - timedelta(days=1)) == 0


async def test_the_retention_task_prunes_at_start_and_stops_when_told(rig: Rig) -> None:
    for task in await rig.poller.poll_due():
        await task
    rig.clock.advance(31 * 24 * 3600)
    retention = Retention(rig.repo, timedelta(days=30), every=timedelta(hours=1), clock=rig.clock)
    running = asyncio.create_task(retention.run())
    async with asyncio.timeout(5):
        while await rig.repo.items.count_since(NOW - timedelta(days=1)):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    retention.stop()
    await asyncio.wait_for(running, 1)
