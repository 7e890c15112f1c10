"""Forum topics the bot has heard of: names seen on /sub, and topics found closed or deleted.

A topic Telegram refuses ("message thread not found", TOPIC_CLOSED) is marked gone: its
alerts go to the group's General topic from then on, and the group is told once (`noted`).
A message written in the topic again clears the mark (the topic was reopened).
"""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.database import Database
from storage.models import Topic, to_ts


def _topic(row: aiosqlite.Row) -> Topic:
    return Topic(
        chat_id=int(row["chat_id"]),
        thread_id=int(row["thread_id"]),
        name=row["name"],
        gone=row["gone_at"] is not None,
        noted=bool(row["noted"]),
    )


class TopicRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, chat_id: int, thread_id: int) -> Topic | None:
        row = await self._db.fetchone(
            "SELECT * FROM chat_topics WHERE chat_id = ? AND thread_id = ?", (chat_id, thread_id)
        )
        return None if row is None else _topic(row)

    async def for_chat(self, chat_id: int) -> dict[int, Topic]:
        rows = await self._db.fetchall("SELECT * FROM chat_topics WHERE chat_id = ?", (chat_id,))
        return {int(r["thread_id"]): _topic(r) for r in rows}

    async def name(self, chat_id: int, thread_id: int, name: str) -> None:
        """Remember the topic's name as Telegram showed it (a rename replaces it)."""
        await self._db.execute(
            "INSERT INTO chat_topics (chat_id, thread_id, name) VALUES (?, ?, ?) "
            "ON CONFLICT (chat_id, thread_id) DO UPDATE SET name = excluded.name "
            "WHERE chat_topics.name IS NULL OR chat_topics.name <> excluded.name",
            (chat_id, thread_id, name),
        )

    async def mark_gone(self, chat_id: int, thread_id: int, reason: str, now: datetime) -> None:
        """Telegram refused the topic: its alerts go to General from now on."""
        await self._db.execute(
            "INSERT INTO chat_topics (chat_id, thread_id, gone_at, gone_reason) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, thread_id) DO UPDATE SET "
            "gone_at = COALESCE(gone_at, excluded.gone_at), gone_reason = excluded.gone_reason",
            (chat_id, thread_id, to_ts(now), reason),
        )

    async def mark_noted(self, chat_id: int, thread_id: int) -> None:
        await self._db.execute(
            "UPDATE chat_topics SET noted = 1 WHERE chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        )

    async def reopened(self, chat_id: int, thread_id: int) -> bool:
        """Someone wrote in a topic marked gone: it is back. Returns whether it was marked."""
        cur = await self._db.execute(
            "UPDATE chat_topics SET gone_at = NULL, gone_reason = NULL, noted = 0 "
            "WHERE chat_id = ? AND thread_id = ? AND gone_at IS NOT NULL",
            (chat_id, thread_id),
        )
        return cur.rowcount > 0
