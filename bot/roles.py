"""Which part of the work this process does, when several share one PostgreSQL database.

Every process fetches feeds (each due feed claimed by one), matches, groups stories and queues
alerts. One process leads: it alone reads updates (long polling), sends (alerts, story edits,
digests) and prunes. Telegram's limits are the bot's, not a process's, so one sender holding
the one budget is what keeps them; the lead is a PostgreSQL advisory lock
(storage/cluster.py), and a standby takes it within a second of the leader's connection
closing (a SIGKILL included). In webhook mode every process takes updates (and replies to
them from its own budget); sending alerts still belongs to the leader.

On SQLite the process leads at once: nothing changes for the one-process default.

A leader whose database connection breaks cannot know whether another process leads already,
so it stops at once and exits with `LeadershipLost` (exit code 4): the service manager starts
it again, as a standby if another took over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, Dispatcher

from bot.metrics import Metrics
from storage.cluster import Cluster, Leadership

log = logging.getLogger(__name__)

__all__ = ["LeadershipLost", "lead_then", "poll_updates"]


class LeadershipLost(Exception):
    """The database dropped this process's lead while it led."""


async def _first(*waits: Awaitable[Any]) -> None:
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def lead_then(
    cluster: Cluster,
    stop: asyncio.Event,
    metrics: Metrics,
    start: Callable[[], Awaitable[None]],
    serve: Callable[[asyncio.Event], Awaitable[None]],
    resign: Callable[[], Awaitable[None]],
) -> None:
    """Wait for the lead (or `stop`), run `start`, then `serve(ended)` until `stop` or the lead
    is lost; `ended` is set when serving must end. A lost lead first runs `resign` (stop
    sending: another process may lead already), then raises LeadershipLost; a kept one is
    released after `resign`, so the next leader may start sending at once."""
    leadership = await cluster.lead(stop)
    if leadership is None:
        return
    lost = False
    try:
        metrics.leader.set(1)
        if cluster.shared:
            log.info("this process leads: it reads updates and sends alerts")
        await start()
        ended = asyncio.Event()
        serving = asyncio.ensure_future(serve(ended))
        await _first(stop.wait(), leadership.lost.wait(), asyncio.shield(serving))
        lost = leadership.lost.is_set() and not stop.is_set()
        if lost:
            log.error("lost the lead (the database connection broke): stopping")
            await resign()
        ended.set()
        await serving
    finally:
        metrics.leader.set(0)
        await resign()  # nothing in flight when the next leader starts
        await _release(leadership)
    if lost:
        raise LeadershipLost("the database connection holding the lead broke")


async def _release(leadership: Leadership) -> None:
    with contextlib.suppress(Exception):
        await leadership.release()


async def poll_updates(dp: Dispatcher, bot: Bot, ended: asyncio.Event) -> None:
    """Long polling until `ended` (aiogram's own signal handling stays off: `ended` is ours)."""
    polling = asyncio.ensure_future(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    await _first(ended.wait(), asyncio.shield(polling))
    if not polling.done():
        try:
            await dp.stop_polling()
        except RuntimeError:  # asked to end before polling had begun
            polling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling
