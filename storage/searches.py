"""Searches a chat may page through (/recent QUERY), kept so a page button holds only an id."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database
from storage.models import to_ts

# Searches kept per chat: older pages' buttons then answer as stale.
KEPT_PER_CHAT = 50


class SearchRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def remember(self, chat_id: int, query: str, now: datetime) -> int:
        """The id of this chat's search for `query` (the same id when asked again)."""
        async with self._db.transaction():
            await self._db.execute(
                "INSERT INTO searches (chat_id, query, created_at) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id, query) DO UPDATE SET created_at = excluded.created_at",
                (chat_id, query, to_ts(now)),
            )
            found = await self._db.fetchval(
                "SELECT id FROM searches WHERE chat_id = ? AND query = ?", (chat_id, query)
            )
            await self._db.execute(
                "DELETE FROM searches WHERE chat_id = ? AND id NOT IN (SELECT id FROM searches "
                "WHERE chat_id = ? ORDER BY created_at DESC, id DESC LIMIT ?)",
                (chat_id, chat_id, KEPT_PER_CHAT),
            )
        return int(found)

    async def query(self, chat_id: int, search_id: int) -> str | None:
        """The query of search `search_id`; None when forgotten or another chat's."""
        found = await self._db.fetchval(
            "SELECT query FROM searches WHERE id = ? AND chat_id = ?", (search_id, chat_id)
        )
        return None if found is None else str(found)
