"""One writer connection and a few reader connections per process, over one SQLite file.

Writers take `transaction()`, which serialises them on the one writer connection and nests (a
repository method called from inside a bigger transaction joins it instead of deadlocking).
Reads outside the calling task's transaction go to reader connections: in WAL mode each sees
only committed data, so no task ever reads (and acts on) another task's unfinished
transaction, such as an alert that an ingest is about to roll back; and reads do not wait for
writers. Reads inside the task's own transaction use the writer connection, so a transaction
sees its own writes.

`:memory:` databases cannot be shared between connections without shared-cache mode (whose
table locks fail at once instead of waiting), so they keep one connection and put reads
behind the writer lock: the same isolation, without concurrency.

storage/engines.py's `open_database` picks this class or storage/postgres.py's subclass (same
surface) from the URL; the SQL dialect differences live in storage/dialect.py and the pg
migrations, nowhere else.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import aiosqlite

from storage.cluster import Cluster
from storage.guard import (
    DatabaseOpenError,
    ProcessLock,
    check_existing,
    prepare_folder,
    remove_leftovers,
)
from storage.migrations import migrate

SqlParams = Sequence[Any] | dict[str, Any]
# A result row, read by column name (`row["id"]`) or position: sqlite3.Row or asyncpg.Record.
Row = Any


class WriteResult(Protocol):
    """What `execute` returns on either engine: how many rows the statement changed."""

    @property
    def rowcount(self) -> int: ...


# Values bound in one `IN (...)` at most: under SQLite's old 999-parameter default, with room
# for the statement's other parameters.
IN_CHUNK = 500
_T = TypeVar("_T")


def in_chunks(values: Iterable[_T]) -> Iterator[tuple[list[_T], str]]:
    """`values` in chunks that can be bound at once, each with its "?,?,…" placeholders."""
    items = list(values)
    for start in range(0, len(items), IN_CHUNK):
        chunk = items[start : start + IN_CHUNK]
        yield chunk, ",".join("?" * len(chunk))


READERS = 3  # enough that one slow search does not hold up the delivery worker's reads


def is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgresql://", "postgres://"))


def sqlite_path(database_url: str) -> str:
    """Turn `sqlite:///relative.db`, `sqlite:////abs.db` or a bare path into a filename."""
    if database_url.startswith("sqlite:///"):
        return database_url[len("sqlite:///") :]
    if database_url.startswith("sqlite://"):
        raise ValueError(f"unsupported DATABASE_URL {database_url!r}: use sqlite:///path")
    if "://" in database_url:
        raise ValueError(
            f"unsupported DATABASE_URL {database_url!r}: use sqlite:///path or postgresql://"
        )
    return database_url


async def _pragmas(conn: aiosqlite.Connection, *, reader: bool) -> None:
    if not reader:
        await conn.execute_fetchall("PRAGMA journal_mode = WAL")
    await conn.execute_fetchall("PRAGMA foreign_keys = ON")
    await conn.execute_fetchall("PRAGMA busy_timeout = 5000")
    await conn.execute_fetchall("PRAGMA synchronous = NORMAL")
    if reader:  # a write slipped into a read path fails loudly instead of skipping the lock
        await conn.execute_fetchall("PRAGMA query_only = ON")


async def _connect(path: str, *, reader: bool = False) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    conn.row_factory = aiosqlite.Row
    try:
        await _pragmas(conn, reader=reader)
    except BaseException:
        await conn.close()
        raise
    return conn


async def _quick_check(conn: aiosqlite.Connection, path: Path) -> None:
    rows = await conn.execute_fetchall("PRAGMA quick_check(1)")
    verdict = " ".join(str(r[0]) for r in rows).replace("\n", " ")
    if verdict != "ok":
        raise DatabaseOpenError(
            f"{path} is corrupt (SQLite's quick_check: {verdict}); restore it from a backup"
        )


async def _create(path: Path, *, migrate_schema: bool) -> None:
    """Build a new database under a temporary name and rename it into place when complete.

    So a process killed during its very first start leaves no 0-byte or half-migrated file
    where the database belongs (the next start deletes the leftover and builds again).
    """
    building = path.with_name(path.name + ".new")
    remove_leftovers(building)
    conn = await aiosqlite.connect(str(building), isolation_level=None)
    try:
        if migrate_schema:
            await migrate(conn)  # rollback-journal mode: every commit is in the file itself
        await conn.execute_fetchall("PRAGMA journal_mode = WAL")  # writes page 1: never 0 bytes
    finally:
        await conn.close()
    os.replace(building, path)
    remove_leftovers(building)  # an empty -wal/-shm of the new name, if SQLite left them
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself survives a power loss
    finally:
        os.close(fd)


class Database:
    """Owns the connections; repositories borrow them via `fetch*`, `execute`, `transaction`."""

    # One process per SQLite file (the file lock): nothing is shared, so claims need no row
    # locks and nobody listens for notifications. PostgreSQL's subclass says otherwise.
    shared = False
    claim_lock = ""  # appended to a claiming SELECT: PostgreSQL's FOR UPDATE … SKIP LOCKED

    def __init__(
        self,
        conn: aiosqlite.Connection,
        readers: Sequence[aiosqlite.Connection] = (),
        process_lock: ProcessLock | None = None,
    ) -> None:
        self._conn = conn
        self._readers = list(readers)
        self._idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for reader in self._readers:
            self._idle.put_nowait(reader)
        self._process_lock = process_lock
        self._lock = asyncio.Lock()
        # Which transaction the current task's context belongs to. A task created inside a
        # transaction inherits it and may join it while it is open, never after it ended.
        self._tx: contextvars.ContextVar[object | None] = contextvars.ContextVar(
            f"tx_{id(self)}", default=None
        )
        self._open_tx: object | None = None

    @classmethod
    async def open(
        cls, database_url: str, *, migrate_schema: bool = True, readers: int = READERS
    ) -> Database:
        """Open (creating if absent) the database; refuse it with `DatabaseOpenError` if unusable.

        A file database is locked for this process (`DatabaseInUseError` if another holds it).
        `readers=0` puts reads behind the writer lock, as for `:memory:`.
        """
        if is_postgres(database_url):
            raise ValueError("Database.open is SQLite's: open any URL with storage.open_database")
        path = sqlite_path(database_url)
        if path == ":memory:":
            conn = await _connect(path)
            try:
                if migrate_schema:
                    await migrate(conn)
            except BaseException:
                await conn.close()
                raise
            return cls(conn)
        return await cls._open_file(Path(path), migrate_schema=migrate_schema, readers=readers)

    @classmethod
    async def _open_file(cls, path: Path, *, migrate_schema: bool, readers: int) -> Database:
        prepare_folder(path)
        process_lock = ProcessLock.acquire(path)
        opened: list[aiosqlite.Connection] = []
        try:
            existed = check_existing(path)
            if not existed:
                await _create(path, migrate_schema=migrate_schema)
            opened.append(await _connect(str(path)))
            if existed:
                await _quick_check(opened[0], path)
            if migrate_schema:
                await migrate(opened[0])
            for _ in range(readers):
                opened.append(await _connect(str(path), reader=True))
        except BaseException as exc:
            for conn in opened:
                await conn.close()
            process_lock.release()
            if isinstance(exc, sqlite3.Error):
                message = " ".join(str(exc).split())
                raise DatabaseOpenError(f"cannot use {path}: {message}") from exc
            if isinstance(exc, OSError) and not isinstance(exc, DatabaseOpenError):
                raise DatabaseOpenError(f"cannot use {path}: {exc.strerror or exc}") from exc
            raise
        return cls(opened[0], opened[1:], process_lock)

    async def close(self) -> None:
        async with self._lock:
            for reader in self._readers:
                await reader.close()
            await self._conn.close()
            if self._process_lock is not None:
                self._process_lock.release()

    def _joined(self) -> bool:
        """Whether the current task is inside this database's open transaction."""
        tx = self._tx.get()
        return tx is not None and tx is self._open_tx

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception; nested calls join the outer."""
        if self._joined():
            yield
            return
        async with self._lock:
            tx = object()
            token = self._tx.set(tx)
            self._open_tx = tx
            try:
                await self._conn.execute_fetchall("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    await self._conn.execute_fetchall("ROLLBACK")
                    raise
                await self._conn.execute_fetchall("COMMIT")
            finally:
                self._open_tx = None
                self._tx.reset(token)

    @asynccontextmanager
    async def _reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection a read runs on: see the module docstring for which and why."""
        if self._joined():
            yield self._conn
        elif not self._readers:
            async with self._lock:
                yield self._conn
        else:
            reader = await self._idle.get()
            try:
                yield reader
            finally:
                self._idle.put_nowait(reader)

    async def execute(self, sql: str, params: SqlParams = ()) -> WriteResult:
        """Run one write statement, in its own transaction unless one is open."""
        async with self.transaction():
            return await self._conn.execute(sql, params)

    async def insert_returning(self, sql: str, params: SqlParams = ()) -> Any:
        """Run one `INSERT … RETURNING <column>` and return that column (both engines have
        RETURNING; PostgreSQL has no `lastrowid`)."""
        async with self.transaction(), self._conn.execute(sql, params) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]

    async def executemany(self, sql: str, rows: Iterable[SqlParams]) -> None:
        async with self.transaction():
            await self._conn.executemany(sql, rows)

    async def write_returning(self, sql: str, params: SqlParams = ()) -> list[Row]:
        """Run one `UPDATE … RETURNING *` (or DELETE) and return the rows it changed."""
        async with self.transaction():
            return list(await self._conn.execute_fetchall(sql, params))

    async def notify(self, channel: str, payload: str = "") -> None:
        """Tell the other processes on this database (NOTIFY on PostgreSQL, at commit). An
        SQLite file has one process: nobody to tell."""

    @property
    def process_name(self) -> str:
        """Who claims a feed (see storage/feeds.py): this process."""
        return f"pid {os.getpid()}"

    def owner_gone(self, column: str) -> str:
        """SQL true when the process named in `column` no longer uses the database: never
        known on SQLite, whose claims of a previous run are simply cleared at start."""
        return "0 = 1"

    def cluster(self) -> Cluster:
        """How this process coordinates with others on the database (storage/cluster.py)."""
        return Cluster()

    def total_changes(self) -> int:
        """Rows the writer changed since it opened: counts what an `executemany` really did."""
        return int(self._conn.total_changes)

    async def fetchone(self, sql: str, params: SqlParams = ()) -> Row | None:
        async with self._reading() as conn, conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: SqlParams = ()) -> list[Row]:
        async with self._reading() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def fetchval(self, sql: str, params: SqlParams = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]
