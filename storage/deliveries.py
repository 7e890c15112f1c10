"""Deliveries: the durable queue between a match and a Telegram message.

A row is written (pending) in the same transaction as the item it is about; it becomes `sent`
with Telegram's message id only after Telegram accepted it. That ordering is what makes the
queue survive crashes without losing or repeating alerts (see the README's Guarantees).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from storage.database import Database
from storage.models import Delivery, DeliveryStatus, NewDelivery, from_ts, to_ts


def _delivery(row: aiosqlite.Row) -> Delivery:
    return Delivery(
        id=row["id"],
        chat_id=row["chat_id"],
        item_id=row["item_id"],
        subscription_ids=tuple(json.loads(row["subscription_ids"])),
        matched_queries=tuple(json.loads(row["matched_queries"])),
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=from_ts(row["next_attempt_at"]),
        created_at=from_ts(row["created_at"]),
        sent_at=None if row["sent_at"] is None else from_ts(row["sent_at"]),
        message_id=row["message_id"],
        error=row["error"],
    )


class DeliveryRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, deliveries: Sequence[NewDelivery], now: datetime) -> int:
        """Queue alerts; a (chat, item) pair already queued is left as it is. Returns new rows."""
        added = 0
        async with self._db.transaction():
            for d in deliveries:
                cur = await self._db.execute(
                    "INSERT INTO deliveries (chat_id, item_id, subscription_ids, matched_queries, "
                    "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (chat_id, item_id) DO NOTHING",
                    (
                        d.chat_id,
                        d.item_id,
                        json.dumps(list(d.subscription_ids)),
                        json.dumps(list(d.matched_queries), ensure_ascii=False),
                        to_ts(now),
                        to_ts(now),
                    ),
                )
                added += cur.rowcount
        return added

    async def get(self, delivery_id: int) -> Delivery | None:
        row = await self._db.fetchone("SELECT * FROM deliveries WHERE id = ?", (delivery_id,))
        return None if row is None else _delivery(row)

    async def due(self, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries whose time has come, oldest first."""
        rows = await self._db.fetchall(
            "SELECT * FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? "
            "ORDER BY id LIMIT ?",
            (to_ts(now), limit),
        )
        return [_delivery(r) for r in rows]

    async def next_attempt_at(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = 'pending'"
        )
        return None if value is None else from_ts(value)

    async def mark_sent(self, delivery_id: int, message_id: int | None, now: datetime) -> None:
        await self._db.execute(
            "UPDATE deliveries SET status = 'sent', message_id = ?, sent_at = ?, "
            "attempts = attempts + 1, error = NULL WHERE id = ?",
            (message_id, to_ts(now), delivery_id),
        )

    async def mark_retry(self, delivery_id: int, error: str, next_attempt_at: datetime) -> int:
        """Count a failed attempt and schedule the next; returns attempts so far."""
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE deliveries SET attempts = attempts + 1, error = ?, next_attempt_at = ? "
                "WHERE id = ?",
                (error, to_ts(next_attempt_at), delivery_id),
            )
            value = await self._db.fetchval(
                "SELECT attempts FROM deliveries WHERE id = ?", (delivery_id,)
            )
        return int(value or 0)

    async def postpone(self, delivery_id: int, next_attempt_at: datetime) -> None:
        """Wait without counting an attempt (Telegram's own flood control, our rate limits)."""
        await self._db.execute(
            "UPDATE deliveries SET next_attempt_at = ? WHERE id = ?",
            (to_ts(next_attempt_at), delivery_id),
        )

    async def mark_failed(self, delivery_id: int, error: str) -> None:
        await self._db.execute(
            "UPDATE deliveries SET status = 'failed', attempts = attempts + 1, error = ? "
            "WHERE id = ?",
            (error, delivery_id),
        )

    async def mark_held(self, delivery_id: int) -> None:
        await self._db.execute(
            "UPDATE deliveries SET status = 'held' WHERE id = ?", (delivery_id,)
        )

    async def sent_since(self, chat_id: int, since: datetime) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM deliveries WHERE chat_id = ? AND status = 'sent' "
                "AND sent_at >= ?",
                (chat_id, to_ts(since)),
            )
        )

    async def held_since(self, chat_id: int, since: datetime) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM deliveries WHERE chat_id = ? AND status = 'held' "
                "AND created_at >= ?",
                (chat_id, to_ts(since)),
            )
        )

    async def sent_to_chat(self, chat_id: int, *, offset: int, limit: int) -> list[Delivery]:
        """Alerts this chat received (or that were held back for it), newest first."""
        rows = await self._db.fetchall(
            "SELECT d.* FROM deliveries d JOIN items i ON i.id = d.item_id "
            "WHERE d.chat_id = ? AND d.status IN ('sent', 'held') "
            "ORDER BY i.id DESC LIMIT ? OFFSET ?",
            (chat_id, limit, offset),
        )
        return [_delivery(r) for r in rows]

    async def counts_by_status(self) -> dict[str, int]:
        rows = await self._db.fetchall(
            "SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status"
        )
        return {str(r["status"]): int(r["n"]) for r in rows}

    async def per_day(self, since: datetime) -> list[tuple[str, int, int]]:
        """(UTC day, items first seen, alerts sent) for the admin's /stats."""
        rows = await self._db.fetchall(
            "WITH days AS ("
            " SELECT date(fetched_at, 'unixepoch') AS day, COUNT(*) AS items FROM items"
            " WHERE fetched_at >= ? GROUP BY day),"
            " sent AS ("
            " SELECT date(sent_at, 'unixepoch') AS day, COUNT(*) AS alerts FROM deliveries"
            " WHERE status = 'sent' AND sent_at >= ? GROUP BY day)"
            " SELECT days.day, days.items, COALESCE(sent.alerts, 0) AS alerts"
            " FROM days LEFT JOIN sent USING (day) ORDER BY days.day",
            (to_ts(since), to_ts(since)),
        )
        return [(str(r["day"]), int(r["items"]), int(r["alerts"])) for r in rows]
