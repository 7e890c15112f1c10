"""The PostgreSQL engine: the same `Database` surface as SQLite's, on an asyncpg pool.

Selected by `DATABASE_URL=postgresql://…`; nothing outside storage/ knows which engine runs.
The writer's transaction is the unit, as on SQLite: `transaction()` holds one pooled
connection for the task (nested calls join it); reads outside it take any other pooled
connection and, PostgreSQL being READ COMMITTED, never see another task's unfinished work.
Writes are still serialised within this process (one writer at a time, like SQLite's writer
connection), so the repositories' read-then-write sequences keep the meaning they have today.

No process lock is taken: several processes against one server are the point of this engine.
They coordinate through the database itself: feeds are claimed row by row (`claim_lock`,
`owner_gone`: storage/feeds.py), one process leads and the others hear what changed
(`cluster()`: storage/cluster.py). Every connection carries the process's name as its
application name, so a claim of a process that is gone is seen as free at once.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import secrets
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from storage.cluster import Cluster, PostgresCluster
from storage.database import Database, SqlParams
from storage.dialect import numbered_placeholders
from storage.guard import DatabaseOpenError
from storage.migrations.postgres import migrate_postgres

POOL_SIZE = 4  # the writer and three readers, as on SQLite
_APP_NAME = "news-alert-bot"


def process_name() -> str:
    """This process as other processes see it in pg_stat_activity (63 bytes at most)."""
    tag = secrets.token_hex(3)  # a restarted process with a reused pid is someone else
    return f"{_APP_NAME} pid {os.getpid()} on {socket.gethostname()}"[:56] + f" {tag}"


class Result:
    """What `execute` returns: `rowcount` from the command tag (`UPDATE 3`, `INSERT 0 1`)."""

    lastrowid = None  # PostgreSQL has no rowid: inserts that need the id use RETURNING

    def __init__(self, status: str) -> None:
        last = status.rsplit(" ", 1)[-1]
        self.rowcount = int(last) if last.isdigit() else -1


def _params(params: SqlParams) -> Sequence[Any]:
    if isinstance(params, dict):
        raise TypeError("named parameters are not supported on PostgreSQL: use ?")
    return params


class ConstraintError(sqlite3.IntegrityError):
    """A PostgreSQL integrity violation, raised as the IntegrityError the repositories catch;
    the message carries "UNIQUE" for a unique violation, as SQLite's does."""


@asynccontextmanager
async def _translated_errors() -> AsyncIterator[None]:
    try:
        yield
    except asyncpg.UniqueViolationError as exc:
        raise ConstraintError(f"UNIQUE constraint failed: {exc}") from exc
    except asyncpg.IntegrityConstraintViolationError as exc:
        raise ConstraintError(str(exc)) from exc


class PostgresDatabase(Database):
    """`Database` for postgresql:// URLs (chosen by `Database.open`); owns the pool."""

    shared = True
    claim_lock = " FOR UPDATE OF f SKIP LOCKED"

    def __init__(self, pool: asyncpg.Pool, url: str, name: str) -> None:
        # Database.__init__ is not called: none of SQLite's connections exist here, and
        # every method that would use them is overridden below.
        self._pool = pool
        self._url = url
        self._name = name
        self._lock = asyncio.Lock()
        self._pg_conn: asyncpg.Connection | None = None
        self._tx: contextvars.ContextVar[object | None] = contextvars.ContextVar(
            f"pgtx_{id(self)}", default=None
        )
        self._open_tx: object | None = None
        self._changes = 0

    @classmethod
    async def open_url(cls, database_url: str, *, migrate_schema: bool = True) -> PostgresDatabase:
        name = process_name()
        try:
            pool = await asyncpg.create_pool(
                database_url,
                min_size=1,
                max_size=POOL_SIZE,
                server_settings={"application_name": name},
            )
        except (OSError, asyncpg.PostgresError) as exc:
            raise DatabaseOpenError(f"cannot use {_safe(database_url)}: {exc}") from exc
        try:
            if migrate_schema:
                async with pool.acquire() as conn:
                    await migrate_postgres(conn)
        except BaseException:
            await pool.close()
            raise
        return cls(pool, database_url, name)

    async def close(self) -> None:
        async with self._lock:
            await self._pool.close()

    @property
    def process_name(self) -> str:
        return self._name

    def owner_gone(self, column: str) -> str:
        return (
            f"{column} NOT IN (SELECT application_name FROM pg_stat_activity "
            "WHERE application_name IS NOT NULL)"
        )

    def cluster(self) -> Cluster:
        return PostgresCluster(self._connect_named, self._name)

    async def _connect_named(self) -> asyncpg.Connection:
        return await asyncpg.connect(
            self._url, timeout=10, server_settings={"application_name": self._name}
        )

    async def write_returning(self, sql: str, params: SqlParams = ()) -> list[Any]:
        async with self._statement() as conn:
            rows = list(await conn.fetch(numbered_placeholders(sql), *_params(params)))
        self._changes += len(rows)
        return rows

    async def notify(self, channel: str, payload: str = "") -> None:
        async with self._statement() as conn:
            await conn.execute("SELECT pg_notify($1, $2)", channel, payload)

    def _joined(self) -> bool:
        tx = self._tx.get()
        return tx is not None and tx is self._open_tx

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if self._joined():
            yield
            return
        async with self._lock, self._pool.acquire() as conn:
            tx = object()
            token = self._tx.set(tx)
            self._open_tx = tx
            self._pg_conn = conn
            try:
                async with conn.transaction():
                    yield
            finally:
                self._pg_conn = None
                self._open_tx = None
                self._tx.reset(token)

    @asynccontextmanager
    async def _pg_reading(self) -> AsyncIterator[asyncpg.Connection]:
        if self._joined() and self._pg_conn is not None:
            yield self._pg_conn
        else:
            async with self._pool.acquire() as conn:
                yield conn

    def _writer(self) -> asyncpg.Connection:
        assert self._pg_conn is not None, "a write outside transaction()"
        return self._pg_conn

    @asynccontextmanager
    async def _statement(self) -> AsyncIterator[asyncpg.Connection]:
        """One write, failing alone as on SQLite: a refused statement inside a bigger
        transaction rolls back to its savepoint instead of aborting the whole transaction
        (the repositories catch a duplicate and carry on)."""
        joined = self._joined()
        async with self.transaction(), _translated_errors():
            conn = self._writer()
            if joined:
                async with conn.transaction():  # nested: a SAVEPOINT
                    yield conn
            else:
                yield conn

    async def execute(self, sql: str, params: SqlParams = ()) -> Result:
        async with self._statement() as conn:
            status = await conn.execute(numbered_placeholders(sql), *_params(params))
        result = Result(status)
        self._changes += max(result.rowcount, 0)
        return result

    async def insert_returning(self, sql: str, params: SqlParams = ()) -> Any:
        async with self._statement() as conn:
            value = await conn.fetchval(numbered_placeholders(sql), *_params(params))
        if value is not None:  # None: ON CONFLICT DO NOTHING inserted nothing
            self._changes += 1
        return value

    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None:
        # One statement per row, so `total_changes` counts what really changed (asyncpg's
        # executemany reports nothing back).
        async with self.transaction():
            for row in rows:
                await self.execute(sql, row)

    def total_changes(self) -> int:
        return self._changes

    async def fetchone(self, sql: str, params: SqlParams = ()) -> Any:
        async with self._pg_reading() as conn:
            return await conn.fetchrow(numbered_placeholders(sql), *_params(params))

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[Any]:
        async with self._pg_reading() as conn:
            return list(await conn.fetch(numbered_placeholders(sql), *_params(params)))


def _safe(url: str) -> str:
    """The URL without a password, for messages."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        creds, _, host = rest.rpartition("@")
        rest = f"{creds.split(':', 1)[0]}@{host}"
    return f"{scheme}{sep}{rest}"
