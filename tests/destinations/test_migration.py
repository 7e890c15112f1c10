"""Migration 0008 rebuilds subscriptions and deliveries (their UNIQUE constraints gain the
forum topic): a database of the previous release keeps every row, and the rebuilt tables keep
their links (a report that joined an alert still goes when the alert does)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import Database
from storage.migrations import available_migrations


def _release_7(path: Path) -> None:
    """A database as release 7 left it, with one alert that a later report joined."""
    with sqlite3.connect(path) as conn:
        for mig in available_migrations()[:7]:
            conn.executescript(mig.sql)
        conn.executescript(
            """
            PRAGMA user_version = 7;
            INSERT INTO chats (id, type, created_at, updated_at) VALUES (-100, 'supergroup', 0, 0);
            INSERT INTO subscriptions (id, chat_id, query, created_at, urgent)
                VALUES (5, -100, 'Лавров', 0, 1);
            INSERT INTO feeds (id, url, next_fetch_at, created_at) VALUES (1, 'http://f', 0, 0);
            INSERT INTO items (id, feed_id, guid, title, text, published_at, fetched_at)
                VALUES (1, 1, 'a', 'A', 'a', 0, 0), (2, 1, 'b', 'B', 'b', 0, 0);
            INSERT INTO deliveries (id, chat_id, item_id, subscription_ids, matched_queries,
                status, next_attempt_at, created_at, message_id, edits_wanted)
                VALUES (9, -100, 1, '[5]', '["Лавров"]', 'sent', 0, 0, 77, 1);
            INSERT INTO delivery_sources (delivery_id, item_id, subscription_ids,
                matched_queries, created_at) VALUES (9, 2, '[5]', '["Лавров"]', 0);
            """
        )


async def test_a_release_7_database_keeps_every_row_through_the_topics_migration(
    tmp_path: Path,
) -> None:
    path = tmp_path / "db.sqlite3"
    _release_7(path)

    db = await Database.open(f"sqlite:///{path}")
    try:
        sub = await db.fetchone("SELECT * FROM subscriptions WHERE id = 5")
        delivery = await db.fetchone("SELECT * FROM deliveries WHERE id = 9")
        sources = await db.fetchval("SELECT COUNT(*) FROM delivery_sources")
        assert sub is not None and (sub["query"], sub["urgent"], sub["thread_id"]) == (
            "Лавров",
            1,
            0,
        )
        assert delivery is not None
        assert (delivery["message_id"], delivery["edits_wanted"], delivery["thread_id"]) == (
            77,
            1,
            0,
        )
        assert sources == 1
        assert await db.fetchval("PRAGMA foreign_key_check") is None

        await db.execute("DELETE FROM deliveries WHERE id = 9")
        assert await db.fetchval("SELECT COUNT(*) FROM delivery_sources") == 0
    finally:
        await db.close()


async def test_the_same_query_or_item_may_exist_once_per_topic(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    _release_7(path)
    db = await Database.open(f"sqlite:///{path}")
    try:
        await db.execute(
            "INSERT INTO subscriptions (chat_id, thread_id, query, created_at) "
            "VALUES (-100, 3, 'Лавров', 0)"
        )
        await db.execute(
            "INSERT INTO deliveries (chat_id, thread_id, item_id, subscription_ids, "
            "matched_queries, next_attempt_at, created_at) VALUES (-100, 3, 1, '[]', '[]', 0, 0)"
        )
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            await db.execute(
                "INSERT INTO subscriptions (chat_id, thread_id, query, created_at) "
                "VALUES (-100, 3, 'Лавров', 0)"
            )
    finally:
        await db.close()
