"""The schema is created by numbered migrations, idempotently, and never downgraded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import Database, SchemaTooNewError
from storage.migrations import available_migrations

pytestmark = pytest.mark.sqlite_only  # PostgreSQL's twins: test_postgres.py

EXPECTED_TABLES = {
    "chats",
    "cluster_leader",
    "subscriptions",
    "feeds",
    "chat_feeds",
    "items",
    "deliveries",
    "searches",
    "fetches",
    "delivery_sources",
    "digests",
    "chat_topics",
    "chat_managers",
    "user_targets",
    "chat_muted_stories",
    "story_aliases",
}


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {r[0] for r in rows} - {"sqlite_sequence"}


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


async def test_an_empty_database_gets_the_whole_schema_and_the_latest_version(
    tmp_path: Path,
) -> None:
    path = tmp_path / "fresh" / "nested" / "db.sqlite3"
    db = await Database.open(f"sqlite:///{path}")
    await db.close()

    assert _tables(path) == EXPECTED_TABLES
    assert _version(path) == available_migrations()[-1].version


async def test_migrating_an_already_migrated_database_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = await Database.open(f"sqlite:///{path}")
    await db.execute(
        "INSERT INTO chats (id, type, created_at, updated_at) VALUES (1, 'private', 0, 0)"
    )
    await db.close()

    db = await Database.open(f"sqlite:///{path}")
    count = await db.fetchval("SELECT COUNT(*) FROM chats")
    await db.close()

    assert count == 1
    assert _version(path) == available_migrations()[-1].version


async def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute("PRAGMA user_version = 999")

    with pytest.raises(SchemaTooNewError, match="newer than this release"):
        await Database.open(f"sqlite:///{path}")

    assert _tables(path) == {"future"}
    assert _version(path) == 999


async def test_connection_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    db = await Database.open(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
    finally:
        await db.close()


async def test_a_failing_transaction_leaves_no_trace(tmp_path: Path) -> None:
    db = await Database.open(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute(
                    "INSERT INTO chats (id, type, created_at, updated_at) "
                    "VALUES (1, 'private', 0, 0)"
                )
                raise RuntimeError("boom")
        assert await db.fetchval("SELECT COUNT(*) FROM chats") == 0
    finally:
        await db.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [("mysql://x/y", "or postgresql://"), ("sqlite://relative", "use sqlite:///path")],
)
async def test_unsupported_database_urls_are_named(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        await Database.open(url)
