"""Subscriptions: the queries each chat watches, as typed."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from storage.cluster import SUBSCRIPTIONS
from storage.database import Database, in_chunks
from storage.models import Subscription, from_ts, to_ts


def _sub(row: aiosqlite.Row) -> Subscription:
    return Subscription(
        id=row["id"],
        chat_id=row["chat_id"],
        query=row["query"],
        paused=bool(row["paused"]),
        created_at=from_ts(row["created_at"]),
        urgent=bool(row["urgent"]),
        thread_id=int(row["thread_id"]),
        snoozed_until=_snoozed(row),
    )


def _snoozed(row: aiosqlite.Row) -> datetime | None:
    value = row["snoozed_until"]
    return None if value is None else from_ts(value)


class DuplicateSubscriptionError(Exception):
    """The chat (in that forum topic) already watches exactly this query."""


class SubscriptionRepo:
    """Every change is announced to the other processes on the database (with the
    subscription's id, in the change's own transaction), whose matchers follow at once."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _change(self, sql: str, params: tuple[object, ...], sub_id: int) -> bool:
        async with self._db.transaction():
            cur = await self._db.execute(sql, params)
            if cur.rowcount > 0:
                await self._db.notify(SUBSCRIPTIONS, str(sub_id))
        return cur.rowcount > 0

    async def add(
        self,
        chat_id: int,
        query: str,
        now: datetime,
        *,
        urgent: bool = False,
        thread_id: int = 0,
    ) -> Subscription:
        """`thread_id`: the forum topic the subscription alerts into (0: the chat itself)."""
        try:
            async with self._db.transaction():
                sub_id = await self._db.insert_returning(
                    "INSERT INTO subscriptions (chat_id, thread_id, query, created_at, urgent) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    (chat_id, thread_id, query, to_ts(now), int(urgent)),
                )
                await self._db.notify(SUBSCRIPTIONS, str(sub_id))
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise DuplicateSubscriptionError(query) from exc
            raise
        assert sub_id is not None
        return Subscription(int(sub_id), chat_id, query, False, now, urgent, thread_id=thread_id)

    async def get(self, sub_id: int) -> Subscription | None:
        row = await self._db.fetchone("SELECT * FROM subscriptions WHERE id = ?", (sub_id,))
        return None if row is None else _sub(row)

    async def for_chat(self, chat_id: int) -> list[Subscription]:
        rows = await self._db.fetchall(
            "SELECT * FROM subscriptions WHERE chat_id = ? ORDER BY id", (chat_id,)
        )
        return [_sub(r) for r in rows]

    async def in_topic(self, chat_id: int, thread_id: int) -> list[Subscription]:
        """The subscriptions made in one forum topic (0: those of the chat itself)."""
        rows = await self._db.fetchall(
            "SELECT * FROM subscriptions WHERE chat_id = ? AND thread_id = ? ORDER BY id",
            (chat_id, thread_id),
        )
        return [_sub(r) for r in rows]

    async def find(self, chat_id: int, query: str, thread_id: int = 0) -> Subscription | None:
        row = await self._db.fetchone(
            "SELECT * FROM subscriptions WHERE chat_id = ? AND thread_id = ? AND query = ?",
            (chat_id, thread_id, query),
        )
        return None if row is None else _sub(row)

    async def count_for_chat(self, chat_id: int) -> int:
        value = await self._db.fetchval(
            "SELECT COUNT(*) FROM subscriptions WHERE chat_id = ?", (chat_id,)
        )
        return int(value)

    async def delete(self, sub_id: int) -> bool:
        return await self._change("DELETE FROM subscriptions WHERE id = ?", (sub_id,), sub_id)

    async def set_paused(self, sub_id: int, paused: bool) -> bool:
        return await self._change(
            "UPDATE subscriptions SET paused = ? WHERE id = ?", (int(paused), sub_id), sub_id
        )

    async def set_urgent(self, sub_id: int, urgent: bool) -> bool:
        return await self._change(
            "UPDATE subscriptions SET urgent = ? WHERE id = ?", (int(urgent), sub_id), sub_id
        )

    async def set_query(self, sub_id: int, query: str) -> bool:
        """Rewrite a subscription's query (an exclusion added from an alert); raises
        `DuplicateSubscriptionError` when the chat already watches the new text."""
        try:
            return await self._change(
                "UPDATE subscriptions SET query = ? WHERE id = ?", (query, sub_id), sub_id
            )
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise DuplicateSubscriptionError(query) from exc
            raise

    async def set_snoozed(self, sub_id: int, until: datetime | None) -> bool:
        """Snooze until a moment (None: no longer snoozed)."""
        return await self._change(
            "UPDATE subscriptions SET snoozed_until = ? WHERE id = ?",
            (None if until is None else to_ts(until), sub_id),
            sub_id,
        )

    async def any_urgent(self, sub_ids: Sequence[int]) -> bool:
        """Whether one of these (still existing) subscriptions breaks through quiet hours."""
        for chunk, marks in in_chunks(sub_ids):
            if await self._db.fetchval(
                "SELECT EXISTS (SELECT 1 FROM subscriptions "
                f"WHERE urgent = 1 AND id IN ({marks}))",
                chunk,
            ):
                return True
        return False

    async def all_unpaused(self) -> list[Subscription]:
        """Every subscription the matcher should hold; chat state is checked per match."""
        rows = await self._db.fetchall("SELECT * FROM subscriptions WHERE paused = 0 ORDER BY id")
        return [_sub(r) for r in rows]

    async def count(self) -> int:
        return int(await self._db.fetchval("SELECT COUNT(*) FROM subscriptions"))
