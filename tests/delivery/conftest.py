"""Fixtures for delivery: a real aiogram Bot over HTTP against the Bot API stand-in and a
database seeded through the Repository.

Every test here runs on a `VirtualTimeLoop` (tests/support/virtual_time.py): pacing, backoff
and 429 pauses take seconds on the loop's clock, which jumps over them instead of sleeping. The
budget, the worker and the stand-in all read that clock (`loop_time`, `loop_now`), so the gaps
the tests assert are the gaps the code kept. Pacing on the real clock is covered end to end
(tests/e2e, with the stand-in's limits on).
"""

from __future__ import annotations

from collections.abc import Mapping

import aiosqlite.core
import pytest

from storage import Repository
from tests.delivery.delivery_kit import Seeder
from tests.support.clock import loop_now
from tests.support.virtual_time import TrackedQueue, VirtualTimeLoop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, type[VirtualTimeLoop]]:
    return {"virtual_time": VirtualTimeLoop}


@pytest.fixture(autouse=True)
def _database_thread_is_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop must not jump while aiosqlite's thread answers a query (see TrackedQueue)."""
    monkeypatch.setattr(aiosqlite.core, "SimpleQueue", TrackedQueue)


@pytest.fixture
def seed(repo: Repository) -> Seeder:
    return Seeder(repo, loop_now)
