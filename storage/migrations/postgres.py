"""PostgreSQL's migrations: storage/migrations/pg/NNNN_name.sql, numbered as SQLite's.

Each pg file is the twin of the SQLite file of the same number and leaves the same tables,
columns and indexes. The applied version lives in a one-row table (PostgreSQL has no
`user_version`), written in the same transaction as the migration; a database written by a
newer release is refused with the same `SchemaTooNewError`. A transaction-scoped advisory lock
makes two processes starting at once migrate one after the other.
"""

from __future__ import annotations

from importlib import resources

import asyncpg

from storage.migrations import Migration, SchemaTooNewError, available_migrations, read_migrations

_LOCK_KEY = 0x6E657773  # pg_advisory_xact_lock key for migrations ("news")


def available_pg_migrations() -> list[Migration]:
    """The PostgreSQL migrations; their numbers and names match SQLite's one for one."""
    found = read_migrations(resources.files("storage.migrations.pg"))
    sqlite_names = [m.name for m in available_migrations()]
    if [m.name for m in found] != sqlite_names:
        raise RuntimeError(
            f"PostgreSQL migrations {[m.name for m in found]} do not match SQLite's {sqlite_names}"
        )
    return found


async def pg_schema_version(conn: asyncpg.Connection) -> int:
    exists = await conn.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
    if not exists:
        return 0
    value = await conn.fetchval("SELECT version FROM schema_version")
    return int(value or 0)


async def migrate_postgres(conn: asyncpg.Connection) -> int:
    """Bring the schema up to date; returns the version now in force."""
    migrations = available_pg_migrations()
    latest = migrations[-1].version if migrations else 0
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
        await conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        if await conn.fetchval("SELECT COUNT(*) FROM schema_version") == 0:
            await conn.execute("INSERT INTO schema_version (version) VALUES (0)")
        current = await pg_schema_version(conn)
        if current > latest:
            raise SchemaTooNewError(
                f"database schema version {current} is newer than this release supports "
                f"({latest}); upgrade the bot or point DATABASE_URL at another database"
            )
        for mig in migrations:
            if mig.version > current:
                await conn.execute(mig.sql)
                await conn.execute("UPDATE schema_version SET version = $1", mig.version)
    return await pg_schema_version(conn)
