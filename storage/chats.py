"""Chats: who we talk to, in which language and time zone, and whether they still listen."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.database import Database, in_chunks
from storage.models import (
    AlertMode,
    Chat,
    ChatKind,
    DeliverySchedule,
    Language,
    from_ts,
    to_ts,
)


def chat_from_row(row: aiosqlite.Row) -> Chat:
    return Chat(
        id=row["id"],
        type=ChatKind(row["type"]),
        title=row["title"],
        language=Language(row["language"]),
        timezone=row["timezone"],
        alert_mode=AlertMode(row["alert_mode"]),
        active=bool(row["active"]),
        paused=bool(row["paused"]),
        inactive_reason=row["inactive_reason"],
        created_at=from_ts(row["created_at"]),
        group_stories=bool(row["group_stories"]),
        delivery_schedule=DeliverySchedule(row["delivery_schedule"]),
        digest_at=int(row["digest_at"]),
        quiet_from=row["quiet_from"],
        quiet_until=row["quiet_until"],
    )


class ChatRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(
        self,
        chat_id: int,
        *,
        type: ChatKind,
        title: str | None,
        language: Language,
        timezone: str,
        now: datetime,
    ) -> Chat:
        """Record a chat that wrote to us; a chat that had gone inactive becomes active again.

        `language` and `timezone` only apply to a chat seen for the first time: afterwards they
        belong to the chat's own /settings.
        """
        async with self._db.transaction():
            await self._db.execute(
                """
                INSERT INTO chats
                    (id, type, title, language, timezone, alert_mode, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET
                    type = excluded.type, title = excluded.title, active = 1,
                    inactive_reason = NULL, updated_at = excluded.updated_at
                """,
                (
                    chat_id,
                    type,
                    title,
                    language,
                    timezone,
                    AlertMode.INSTANT,
                    to_ts(now),
                    to_ts(now),
                ),
            )
            chat = await self.get(chat_id)
        assert chat is not None
        return chat

    async def get(self, chat_id: int) -> Chat | None:
        row = await self._db.fetchone("SELECT * FROM chats WHERE id = ?", (chat_id,))
        return None if row is None else chat_from_row(row)

    async def _set(self, chat_id: int, column: str, value: object, now: datetime) -> bool:
        cur = await self._db.execute(
            f"UPDATE chats SET {column} = ?, updated_at = ? WHERE id = ?",
            (value, to_ts(now), chat_id),
        )
        return cur.rowcount > 0

    async def set_language(self, chat_id: int, language: Language, now: datetime) -> bool:
        return await self._set(chat_id, "language", language, now)

    async def set_timezone(self, chat_id: int, timezone: str, now: datetime) -> bool:
        return await self._set(chat_id, "timezone", timezone, now)

    async def set_alert_mode(self, chat_id: int, mode: AlertMode, now: datetime) -> bool:
        return await self._set(chat_id, "alert_mode", mode, now)

    async def set_group_stories(self, chat_id: int, grouped: bool, now: datetime) -> bool:
        return await self._set(chat_id, "group_stories", int(grouped), now)

    async def set_schedule(
        self, chat_id: int, schedule: DeliverySchedule, now: datetime, digest_at: int | None = None
    ) -> bool:
        """Instant, hourly or daily (at `digest_at` local minutes, if given)."""
        if digest_at is not None:
            await self._set(chat_id, "digest_at", digest_at, now)
        return await self._set(chat_id, "delivery_schedule", schedule, now)

    async def set_quiet_hours(
        self, chat_id: int, hours: tuple[int, int] | None, now: datetime
    ) -> bool:
        """Quiet hours as local minutes (from, until); None switches them off."""
        start, end = hours if hours is not None else (None, None)
        cur = await self._db.execute(
            "UPDATE chats SET quiet_from = ?, quiet_until = ?, updated_at = ? WHERE id = ?",
            (start, end, to_ts(now), chat_id),
        )
        return cur.rowcount > 0

    async def grouping(self, chat_ids: list[int]) -> set[int]:
        """Those of `chat_ids` that want one alert per story (the default)."""
        found: set[int] = set()
        for chunk, marks in in_chunks(chat_ids):
            rows = await self._db.fetchall(
                f"SELECT id FROM chats WHERE group_stories = 1 AND id IN ({marks})", chunk
            )
            found.update(int(r["id"]) for r in rows)
        return found

    async def set_paused(self, chat_id: int, paused: bool, now: datetime) -> bool:
        return await self._set(chat_id, "paused", int(paused), now)

    async def deactivate(self, chat_id: int, reason: str, now: datetime) -> None:
        """Stop matching a chat that blocked or lost us; `Repository.deactivate_chat` cancels
        its queue in the same transaction."""
        await self._db.execute(
            "UPDATE chats SET active = 0, inactive_reason = ?, updated_at = ? WHERE id = ?",
            (reason, to_ts(now), chat_id),
        )

    async def listening(self, chat_ids: list[int]) -> set[int]:
        """Those of `chat_ids` that are active and not paused: the only ones worth alerting."""
        if not chat_ids:
            return set()
        found: set[int] = set()
        for chunk, marks in in_chunks(chat_ids):
            rows = await self._db.fetchall(
                f"SELECT id FROM chats WHERE active = 1 AND paused = 0 AND id IN ({marks})",
                chunk,
            )
            found.update(int(r["id"]) for r in rows)
        return found

    async def counts(self) -> dict[str, int]:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS total, COALESCE(SUM(active), 0) AS active, "
            "COALESCE(SUM(paused), 0) AS paused FROM chats"
        )
        assert row is not None
        return {"total": row["total"], "active": row["active"], "paused": row["paused"]}
