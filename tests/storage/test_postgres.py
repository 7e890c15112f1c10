"""PostgreSQL gets the same schema as SQLite through its own numbered migrations, refuses a
newer schema the same way, and refuses no second process (several processes share one
server)."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import asyncpg
import pytest

from storage import (
    Database,
    DatabaseOpenError,
    SchemaTooNewError,
    open_database,
)
from storage.migrations import available_migrations

pytestmark = pytest.mark.parametrize("engine", ["postgres"])


def _sqlite_columns(path: Path) -> dict[str, set[str]]:
    with sqlite3.connect(path) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if r[0] != "sqlite_sequence"
        ]
        return {t: {r[1] for r in conn.execute(f"PRAGMA table_info({t})")} for t in tables}


def _sqlite_indexes(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
    return {r[0] for r in rows}


async def _pg_columns(url: str) -> dict[str, set[str]]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND table_name <> 'schema_version'"
        )
    finally:
        await conn.close()
    columns: dict[str, set[str]] = {}
    for r in rows:
        columns.setdefault(r["table_name"], set()).add(r["column_name"])
    return columns


async def _pg_indexes(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = 'public' AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
        )
    finally:
        await conn.close()
    return {r["indexname"] for r in rows}


async def _pg_version(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT version FROM schema_version"))
    finally:
        await conn.close()


async def test_postgres_gets_the_same_tables_columns_and_indexes_as_sqlite(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "twin.sqlite3"
    await (await open_database(f"sqlite:///{path}")).close()
    await (await open_database(db_url)).close()

    assert await _pg_columns(db_url) == _sqlite_columns(path)
    assert await _pg_indexes(db_url) == _sqlite_indexes(path)
    assert await _pg_version(db_url) == available_migrations()[-1].version


async def test_migrating_an_already_migrated_postgres_database_changes_nothing(
    db_url: str,
) -> None:
    db = await open_database(db_url)
    await db.execute(
        "INSERT INTO chats (id, type, created_at, updated_at) VALUES (?, 'private', 0, 0)",
        (-1001234567890,),  # a channel id: past 2^31, so the ids are BIGINT
    )
    await db.close()
    db = await open_database(db_url)
    try:
        assert await db.fetchval("SELECT COUNT(*) FROM chats") == 1
    finally:
        await db.close()
    assert await _pg_version(db_url) == available_migrations()[-1].version


async def test_a_postgres_schema_newer_than_this_release_is_refused(db_url: str) -> None:
    await (await open_database(db_url)).close()
    conn = await asyncpg.connect(db_url)
    try:
        await conn.execute("UPDATE schema_version SET version = version + 1")
    finally:
        await conn.close()

    with pytest.raises(SchemaTooNewError, match="newer than this release"):
        await open_database(db_url)


async def test_several_processes_open_one_postgres_database_and_see_each_others_writes(
    db_url: str,
) -> None:
    """Several bot processes share one server: none is refused (they coordinate through
    claims, the lead and notifications: tests/storage/test_cluster.py)."""
    first = await open_database(db_url)
    second = await open_database(db_url)
    try:
        assert first.process_name != second.process_name
        await first.execute(
            "INSERT INTO chats (id, type, created_at, updated_at) VALUES (1, 'private', 0, 0)"
        )
        assert await second.fetchval("SELECT COUNT(*) FROM chats") == 1
    finally:
        await first.close()
        await second.close()


async def test_a_rolled_back_transaction_leaves_nothing_and_was_never_visible(
    db_url: str,
) -> None:
    db = await open_database(db_url)
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute(
                    "INSERT INTO chats (id, type, created_at, updated_at) "
                    "VALUES (1, 'private', 0, 0)"
                )
                assert await db.fetchval("SELECT COUNT(*) FROM chats") == 1  # own write
                other = await _count_elsewhere(db_url)
                assert other == 0  # not committed: nobody else sees it
                raise RuntimeError("abort")
        assert await db.fetchval("SELECT COUNT(*) FROM chats") == 0
    finally:
        await db.close()


async def _count_elsewhere(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return int(await conn.fetchval("SELECT COUNT(*) FROM chats"))
    finally:
        await conn.close()


async def test_an_unreachable_server_is_a_one_line_open_error_without_the_password(
    engine: str,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    url = f"postgresql://bot:s3cret@127.0.0.1:{port}/news"

    with pytest.raises(DatabaseOpenError) as caught:
        await open_database(url)

    message = str(caught.value)
    assert "\n" not in message
    assert f"postgresql://bot@127.0.0.1:{port}/news" in message
    assert "s3cret" not in message


async def test_the_sqlite_class_refuses_a_postgres_url_naming_the_opener_that_takes_it(
    db_url: str,
) -> None:
    with pytest.raises(ValueError, match="open_database"):
        await Database.open(db_url)
