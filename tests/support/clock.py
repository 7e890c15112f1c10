"""A clock that moves only when a test says so, for code that takes `Clock` (bot/clock.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """Wall-clock time that stands still until `advance`; a fresh one starts at the real now."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0.0, **delta: float) -> None:
        """advance(90) or advance(minutes=30): move on by that much."""
        self.now += timedelta(seconds=seconds, **delta)
