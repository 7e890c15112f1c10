"""The storage suite runs on both engines: every test that opens `repo` or `db_url` runs once
on SQLite and once on a real PostgreSQL server started for the run (tests/support/postgres.py).
Tests about SQLite's file (lock, corruption, 0-byte file, the .new build) open their own paths
and so run on SQLite only."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)
