"""Which chat a user's private commands act on, and who may pick a channel.

A channel cannot send the bot commands, so its administrators configure it from their private
chats: `managers` are the users the bot may offer a channel to (rights are checked with
Telegram again on every change, so a stale row grants nothing), `target` is the chat a user
configures now (none: their own private chat).
"""

from __future__ import annotations

from datetime import datetime

from storage.chats import chat_from_row
from storage.database import Database
from storage.models import Chat, to_ts


class TargetRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add_manager(self, chat_id: int, user_id: int, now: datetime) -> None:
        await self._db.execute(
            "INSERT INTO chat_managers (chat_id, user_id, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id, user_id) DO NOTHING",
            (chat_id, user_id, to_ts(now)),
        )

    async def remove_manager(self, chat_id: int, user_id: int) -> None:
        await self._db.execute(
            "DELETE FROM chat_managers WHERE chat_id = ? AND user_id = ?", (chat_id, user_id)
        )

    async def managers(self, chat_id: int) -> list[int]:
        rows = await self._db.fetchall(
            "SELECT user_id FROM chat_managers WHERE chat_id = ? ORDER BY created_at, user_id",
            (chat_id,),
        )
        return [int(r["user_id"]) for r in rows]

    async def managed_by(self, user_id: int) -> list[Chat]:
        """The active chats this user may pick, oldest first."""
        rows = await self._db.fetchall(
            "SELECT c.* FROM chat_managers m JOIN chats c ON c.id = m.chat_id "
            "WHERE m.user_id = ? AND c.active = 1 ORDER BY m.created_at, c.id",
            (user_id,),
        )
        return [chat_from_row(r) for r in rows]

    async def target(self, user_id: int) -> Chat | None:
        """The chat this user configures now, if it is not their own private chat."""
        row = await self._db.fetchone(
            "SELECT c.* FROM user_targets t JOIN chats c ON c.id = t.chat_id WHERE t.user_id = ?",
            (user_id,),
        )
        return None if row is None else chat_from_row(row)

    async def set_target(self, user_id: int, chat_id: int | None, now: datetime) -> None:
        """`None` (or the user's own id): back to their private chat."""
        if chat_id is None or chat_id == user_id:
            await self._db.execute("DELETE FROM user_targets WHERE user_id = ?", (user_id,))
            return
        await self._db.execute(
            "INSERT INTO user_targets (user_id, chat_id, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, "
            "updated_at = excluded.updated_at",
            (user_id, chat_id, to_ts(now)),
        )

    async def drop_chat(self, chat_id: int) -> list[int]:
        """Nobody configures this chat any more (the bot lost it); returns who did."""
        async with self._db.transaction():
            rows = await self._db.fetchall(
                "SELECT user_id FROM user_targets WHERE chat_id = ?", (chat_id,)
            )
            await self._db.execute("DELETE FROM user_targets WHERE chat_id = ?", (chat_id,))
        return [int(r["user_id"]) for r in rows]
