"""Which engine a DATABASE_URL selects: the one place that knows both."""

from __future__ import annotations

from storage.database import Database, is_postgres
from storage.postgres import PostgresDatabase


async def open_database(database_url: str, *, migrate_schema: bool = True) -> Database:
    """PostgreSQL for postgresql:// (or postgres://) URLs, SQLite for everything else."""
    if is_postgres(database_url):
        return await PostgresDatabase.open_url(database_url, migrate_schema=migrate_schema)
    return await Database.open(database_url, migrate_schema=migrate_schema)
