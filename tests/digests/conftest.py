"""Digest tests run like the delivery tests (a real Bot against the stand-in, on a
`VirtualTimeLoop`), with a wall clock that moves only when a test says so: quiet hours end and
hours strike by `FakeClock.advance`, not by waiting."""

from __future__ import annotations

from collections.abc import Mapping

import aiosqlite.core
import pytest

from tests.support.virtual_time import TrackedQueue, VirtualTimeLoop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, type[VirtualTimeLoop]]:
    return {"virtual_time": VirtualTimeLoop}


@pytest.fixture(autouse=True)
def _database_thread_is_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop must not jump while aiosqlite's thread answers a query (see TrackedQueue)."""
    monkeypatch.setattr(aiosqlite.core, "SimpleQueue", TrackedQueue)
