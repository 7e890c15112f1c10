"""Versioned schema migrations: numbered `NNNN_name.sql` files applied in order.

The applied version lives in SQLite's own `PRAGMA user_version`, written inside the same
transaction as the migration, so a crash mid-migration leaves the previous version intact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable

import aiosqlite

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer release; touching it could destroy data."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    return read_migrations(resources.files(__name__))


def read_migrations(folder: Traversable) -> list[Migration]:
    """The numbered migrations in `folder`, in order; their numbers must run 1..N."""
    found: list[Migration] = []
    for entry in folder.iterdir():
        m = _NAME.match(entry.name)
        if m:
            found.append(Migration(int(m.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda mig: mig.version)
    expected = list(range(1, len(found) + 1))
    if [mig.version for mig in found] != expected:
        names = [m.name for m in found]
        raise RuntimeError(f"migration numbers must run 1..N without gaps: {names}")
    return found


async def schema_version(conn: aiosqlite.Connection) -> int:
    async with conn.execute("PRAGMA user_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection) -> int:
    """Bring the schema up to date; returns the version now in force."""
    migrations = available_migrations()
    latest = migrations[-1].version if migrations else 0
    current = await schema_version(conn)
    if current > latest:
        raise SchemaTooNewError(
            f"database schema version {current} is newer than this release supports "
            f"({latest}); upgrade the bot or point DATABASE_URL at another file"
        )
    for mig in migrations:
        if mig.version <= current:
            continue
        # executescript runs the whole file; BEGIN/COMMIT around it make it all-or-nothing.
        script = f"BEGIN IMMEDIATE;\n{mig.sql}\nPRAGMA user_version = {mig.version};\nCOMMIT;"
        try:
            await conn.executescript(script)
        except BaseException:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise
    return await schema_version(conn)
