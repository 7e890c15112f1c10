"""One shared aiosqlite connection per process, with reentrant write transactions.

A single connection keeps SQLite's locking trivial, but every coroutine shares it: without a
lock, one task's statements would land inside another task's open transaction. Writers
therefore take `transaction()`, which serialises them and nests (a repository method called
from inside a bigger transaction joins it instead of deadlocking on the lock).
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from storage.migrations import migrate

SqlParams = Sequence[Any] | dict[str, Any]


def sqlite_path(database_url: str) -> str:
    """Turn `sqlite:///relative.db`, `sqlite:////abs.db` or a bare path into a filename."""
    if database_url.startswith("sqlite:///"):
        return database_url[len("sqlite:///") :]
    if database_url.startswith("sqlite://"):
        raise ValueError(f"unsupported DATABASE_URL {database_url!r}: use sqlite:///path")
    if "://" in database_url:
        raise ValueError(f"unsupported DATABASE_URL {database_url!r}: only sqlite is supported")
    return database_url


class Database:
    """Owns the connection; repositories borrow it via `fetch*`, `execute`, `transaction`."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._in_tx: contextvars.ContextVar[bool] = contextvars.ContextVar(
            f"in_tx_{id(self)}", default=False
        )

    @classmethod
    async def open(cls, database_url: str, *, migrate_schema: bool = True) -> Database:
        path = sqlite_path(database_url)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA busy_timeout = 5000")
            await conn.execute("PRAGMA synchronous = NORMAL")
            if migrate_schema:
                await migrate(conn)
        except BaseException:
            await conn.close()
            raise
        return cls(conn)

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception; nested calls join the outer."""
        if self._in_tx.get():
            yield
            return
        async with self._lock:
            token = self._in_tx.set(True)
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    await self._conn.execute("ROLLBACK")
                    raise
                await self._conn.execute("COMMIT")
            finally:
                self._in_tx.reset(token)

    async def execute(self, sql: str, params: SqlParams = ()) -> aiosqlite.Cursor:
        """Run one write statement, in its own transaction unless one is open."""
        async with self.transaction():
            return await self._conn.execute(sql, params)

    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None:
        async with self.transaction():
            await self._conn.executemany(sql, rows)

    def total_changes(self) -> int:
        """Rows changed since the connection opened: counts what an `executemany` really did."""
        return int(self._conn.total_changes)

    async def fetchone(self, sql: str, params: SqlParams = ()) -> aiosqlite.Row | None:
        async with self._conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[aiosqlite.Row]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchval(self, sql: str, params: SqlParams = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]
