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

from storage.cluster import DELIVERIES
from storage.database import Database, in_chunks
from storage.models import Delivery, DeliveryStatus, NewDelivery, from_ts, to_ts

# Statuses travel as SQL parameters, never as literals in the statements.
PENDING, SENT, FAILED, HELD, CANCELLED = (
    DeliveryStatus.PENDING,
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.HELD,
    DeliveryStatus.CANCELLED,
)


def delivery_from_row(row: aiosqlite.Row) -> Delivery:
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
        edits_wanted=row["edits_wanted"],
        edits_done=row["edits_done"],
        edit_attempts=row["edit_attempts"],
        digest_id=row["digest_id"],
        thread_id=int(row["thread_id"]),
    )


class DeliveryRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(self, deliveries: Sequence[NewDelivery], now: datetime) -> int:
        """Queue alerts; a (chat, topic, item) already queued is left as it is. Returns new
        rows."""
        rows = [
            (
                d.chat_id,
                d.thread_id,
                d.item_id,
                json.dumps(list(d.subscription_ids)),
                json.dumps(list(d.matched_queries), ensure_ascii=False),
                to_ts(now),
                to_ts(now),
            )
            for d in deliveries
        ]
        async with self._db.transaction():
            before = self._db.total_changes()
            await self._db.executemany(
                "INSERT INTO deliveries (chat_id, thread_id, item_id, subscription_ids, "
                "matched_queries, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (chat_id, thread_id, item_id) DO NOTHING",
                rows,
            )
            added = self._db.total_changes() - before
            if added:  # the leading process sends (storage/cluster.py); wake it at commit
                await self._db.notify(DELIVERIES)
            return added

    async def destinations_with_link(
        self, canonical_link: str, chat_ids: Sequence[int], *, other_than: int
    ) -> set[tuple[int, int]]:
        """(chat, topic) pairs of `chat_ids` already alerted (or considered) for another item
        with this link: a forum topic is a destination of its own."""
        found: set[tuple[int, int]] = set()
        for chunk, marks in in_chunks(chat_ids):
            rows = await self._db.fetchall(
                "SELECT DISTINCT d.chat_id, d.thread_id FROM items i "
                "JOIN deliveries d ON d.item_id = i.id "
                f"WHERE i.canonical_link = ? AND i.id != ? AND d.chat_id IN ({marks})",
                [canonical_link, other_than, *chunk],
            )
            found.update((int(r["chat_id"]), int(r["thread_id"])) for r in rows)
        return found

    async def story_alerts(
        self, story: str, chat_ids: Sequence[int]
    ) -> dict[tuple[int, int], Delivery]:
        """Per (chat, topic), its live alert (queued, sent or held back) for `story`: one
        alert per story per destination. Failed and cancelled alerts do not count (the chat
        never saw them)."""
        found: dict[tuple[int, int], Delivery] = {}
        for chunk, marks in in_chunks(chat_ids):
            rows = await self._db.fetchall(
                "SELECT d.* FROM deliveries d JOIN items i ON i.id = d.item_id "
                f"WHERE i.story = ? AND d.status IN (?, ?, ?) AND d.chat_id IN ({marks}) "
                "ORDER BY d.id",
                (story, PENDING, SENT, HELD, *chunk),
            )
            for row in rows:
                found[(int(row["chat_id"]), int(row["thread_id"]))] = delivery_from_row(row)
        return found

    async def get(self, delivery_id: int) -> Delivery | None:
        row = await self._db.fetchone("SELECT * FROM deliveries WHERE id = ?", (delivery_id,))
        return None if row is None else delivery_from_row(row)

    async def due(self, now: datetime, limit: int) -> list[Delivery]:
        """Pending deliveries whose time has come, oldest first."""
        rows = await self._db.fetchall(
            "SELECT * FROM deliveries WHERE status = ? AND next_attempt_at <= ? "
            "AND digest_id IS NULL ORDER BY id LIMIT ?",
            (PENDING, to_ts(now), limit),
        )
        return [delivery_from_row(r) for r in rows]

    async def next_attempt_at(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MIN(next_attempt_at) FROM deliveries WHERE status = ? AND digest_id IS NULL",
            (PENDING,),
        )
        return None if value is None else from_ts(value)

    async def mark_sent(
        self, delivery_id: int, message_id: int | None, now: datetime, *, shown: int = 0
    ) -> None:
        """`shown`: how many of the story's later reports the message already lists (those
        that joined while it was queued); more joining later leave an edit due."""
        await self._db.execute(
            "UPDATE deliveries SET status = ?, message_id = ?, sent_at = ?, "
            "attempts = attempts + 1, error = NULL, edits_done = MAX(edits_done, ?), "
            "edit_due_at = CASE WHEN edits_wanted > ? THEN CAST(? AS DOUBLE PRECISION) "
            "ELSE NULL END WHERE id = ?",
            (SENT, message_id, to_ts(now), shown, shown, to_ts(now), delivery_id),
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
            "UPDATE deliveries SET status = ?, attempts = attempts + 1, error = ? WHERE id = ?",
            (FAILED, error, delivery_id),
        )

    async def mark_held(self, delivery_id: int) -> None:
        await self._db.execute(
            "UPDATE deliveries SET status = ? WHERE id = ?", (HELD, delivery_id)
        )

    async def sent_since(self, chat_id: int, since: datetime) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM deliveries WHERE chat_id = ? AND status = ? "
                "AND sent_at >= ? AND digest_id IS NULL",
                (chat_id, SENT, to_ts(since)),
            )
        )

    async def sent_to_chat(self, chat_id: int, *, offset: int, limit: int) -> list[Delivery]:
        """Alerts this chat received (or that were held back for it), newest first."""
        rows = await self._db.fetchall(
            "SELECT d.* FROM deliveries d JOIN items i ON i.id = d.item_id "
            "WHERE d.chat_id = ? AND d.status IN (?, ?) "
            "ORDER BY i.id DESC LIMIT ? OFFSET ?",
            (chat_id, SENT, HELD, limit, offset),
        )
        return [delivery_from_row(r) for r in rows]

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
            " WHERE status = ? AND sent_at >= ? GROUP BY day)"
            " SELECT days.day, days.items, COALESCE(sent.alerts, 0) AS alerts"
            " FROM days LEFT JOIN sent USING (day) ORDER BY days.day",
            (to_ts(since), SENT, to_ts(since)),
        )
        return [(str(r["day"]), int(r["items"]), int(r["alerts"])) for r in rows]

    # The worker's queue view, cancelling and the flood guard's bookkeeping. A held row's
    # `message_id` is the id of the «ещё N совпадений» message that announced it (NULL: not
    # announced yet), so each held alert is announced exactly once.

    async def due_heads(self, now: datetime, limit: int) -> list[Delivery]:
        """The oldest due pending delivery of each chat, oldest first.

        One row per chat keeps a chat with a long backlog from filling the batch while other
        chats, free to receive, wait behind its 1 message/s limit.
        """
        rows = await self._db.fetchall(
            "SELECT * FROM deliveries WHERE id IN ("
            " SELECT MIN(id) FROM deliveries WHERE status = ? AND next_attempt_at <= ?"
            " AND digest_id IS NULL GROUP BY chat_id) ORDER BY id LIMIT ?",
            (PENDING, to_ts(now), limit),
        )
        return [delivery_from_row(r) for r in rows]

    async def cancel(self, delivery_id: int, reason: str) -> bool:
        """Drop a pending delivery that must not go out (chat paused or gone)."""
        cur = await self._db.execute(
            "UPDATE deliveries SET status = ?, error = ? WHERE id = ? AND status = ?",
            (CANCELLED, reason, delivery_id, PENDING),
        )
        return cur.rowcount > 0

    async def cancel_for_chat(self, chat_id: int, reason: str) -> int:
        """Drop everything still queued or held for a chat that can no longer hear us."""
        cur = await self._db.execute(
            "UPDATE deliveries SET status = ?, error = ? WHERE chat_id = ? AND status IN (?, ?)",
            (CANCELLED, reason, chat_id, PENDING, HELD),
        )
        return int(cur.rowcount)

    async def unannounced_held(self, chat_id: int | None = None) -> dict[int, int]:
        """Chat id -> number of held alerts not yet announced (all chats, or just one)."""
        where = "" if chat_id is None else " AND chat_id = ?"
        rows = await self._db.fetchall(
            "SELECT chat_id, COUNT(*) AS n FROM deliveries "
            f"WHERE status = ? AND message_id IS NULL{where} GROUP BY chat_id",
            (HELD,) if chat_id is None else (HELD, chat_id),
        )
        return {int(r["chat_id"]): int(r["n"]) for r in rows}

    async def nth_latest_sent_at(self, chat_id: int, n: int) -> datetime | None:
        """When the chat's n-th latest alert was sent (its hour window frees an hour later)."""
        value = await self._db.fetchval(
            "SELECT sent_at FROM deliveries WHERE chat_id = ? AND status = ? "
            "AND digest_id IS NULL ORDER BY sent_at DESC LIMIT 1 OFFSET ?",
            (chat_id, SENT, max(n - 1, 0)),
        )
        return None if value is None else from_ts(value)

    async def last_announced_at(self, chat_id: int) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MAX(sent_at) FROM deliveries WHERE chat_id = ? AND status = ? "
            "AND message_id IS NOT NULL",
            (chat_id, HELD),
        )
        return None if value is None else from_ts(value)

    async def mark_announced(self, chat_id: int, message_id: int, now: datetime) -> int:
        """Record that the chat was told about its held alerts; returns how many."""
        cur = await self._db.execute(
            "UPDATE deliveries SET message_id = ?, sent_at = ? "
            "WHERE chat_id = ? AND status = ? AND message_id IS NULL",
            (message_id, to_ts(now), chat_id, HELD),
        )
        return cur.rowcount
