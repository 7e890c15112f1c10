"""Waiting for an event with a time limit never swallows a cancellation."""

from __future__ import annotations

import asyncio

import pytest

from bot.clock import wait_for_event


async def test_the_event_ends_the_wait_early() -> None:
    event = asyncio.Event()
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await wait_for_event(event, 5.0) is True


async def test_the_time_limit_ends_the_wait() -> None:
    assert await wait_for_event(asyncio.Event(), 0.01) is False


async def test_a_cancel_arriving_with_the_event_still_cancels() -> None:
    # The race that kept a stopped delivery worker running on Python 3.11's wait_for:
    # the event is set and the task cancelled in the same loop step.
    for _ in range(50):
        event = asyncio.Event()
        task = asyncio.create_task(wait_for_event(event, 10.0))
        await asyncio.sleep(0)  # the task is now waiting
        event.set()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
