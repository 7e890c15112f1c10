"""Clocks for tests: one that moves only when a test says so, and two that follow the running
event loop, so that code under test keeps time with a `VirtualTimeLoop`
(tests/support/virtual_time.py) as it would with the real clock."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta


class FakeClock:
    """Wall-clock time that stands still until `advance`; a fresh one starts at the real now.

    `monotonic` reads the same clock as float seconds from an arbitrary origin, as
    `time.monotonic` does, for code that takes a `Monotonic` (bot/delivery/limits.py); it is
    kept as a float of its own so that sub-microsecond steps add up exactly."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)
        self.seconds = 1000.0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        """advance(90) or advance(minutes=30): move on by that much."""
        step = timedelta(**delta)
        self.now += step + timedelta(seconds=seconds)
        self.seconds += seconds + step.total_seconds()

    def monotonic(self) -> float:
        return self.seconds


def loop_time() -> float:
    """Monotonic seconds of the running loop: `time.monotonic()` on an ordinary loop, ahead of
    it on a virtual-time one. For the budget and limiter (`Monotonic`)."""
    return asyncio.get_running_loop().time()


def loop_now() -> datetime:
    """Wall-clock now as the running loop sees it: the real now plus however far the loop's
    clock has jumped ahead of real time (nothing, on an ordinary loop). A `Clock`."""
    ahead = asyncio.get_running_loop().time() - time.monotonic()
    return datetime.now(UTC) + timedelta(seconds=ahead)
