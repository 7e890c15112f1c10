"""Time as a dependency, so tests can say what "now" is."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


async def wait_for_event(event: asyncio.Event, seconds: float) -> bool:
    """Until `event` is set or `seconds` pass; True if it was set.

    Every "sleep, but wake early" in the bot goes through here. `asyncio.wait_for` on Python
    3.11 drops a cancellation that arrives in the same loop step as the event, so a stopped
    worker could keep running; `asyncio.timeout` does not.
    """
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
    return event.is_set()
