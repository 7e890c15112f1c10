"""Digests: a chat's held alerts going out together, as one claimable unit.

A held alert stays a pending delivery with `digest_id` set (the alert queue skips it). The
digest is sent part by part (one message, split only at Telegram's limit); each part marks its
deliveries sent with its message id in the same transaction as the digest's progress, so a
crash, a retry or a restart resends only what Telegram never accepted, and never a part twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from storage.database import Database, in_chunks
from storage.models import (
    DeliveryStatus,
    Digest,
    DigestEntry,
    DigestStatus,
    from_ts,
    published_from_ts,
    to_ts,
)

PENDING, SENT, FAILED, CANCELLED = (
    DigestStatus.PENDING,
    DigestStatus.SENT,
    DigestStatus.FAILED,
    DigestStatus.CANCELLED,
)
D_PENDING, D_SENT, D_FAILED, D_CANCELLED = (
    DeliveryStatus.PENDING,
    DeliveryStatus.SENT,
    DeliveryStatus.FAILED,
    DeliveryStatus.CANCELLED,
)


def _digest(row: aiosqlite.Row) -> Digest:
    return Digest(
        id=row["id"],
        chat_id=row["chat_id"],
        due_at=from_ts(row["due_at"]),
        status=DigestStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=from_ts(row["next_attempt_at"]),
        parts_sent=row["parts_sent"],
        message_id=row["message_id"],
        error=row["error"],
        thread_id=int(row["thread_id"]),
    )


class DigestRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def hold(
        self, delivery_id: int, chat_id: int, due_at: datetime, now: datetime, thread_id: int = 0
    ) -> int:
        """Put a pending alert into the chat's digest due at `due_at` (made if there is none
        yet; a forum topic's alerts have a digest of their own); returns the digest's id."""
        async with self._db.transaction():
            digest_id = await self._db.fetchval(
                "SELECT id FROM digests WHERE chat_id = ? AND thread_id = ? AND status = ? "
                "AND due_at = ? ORDER BY id LIMIT 1",
                (chat_id, thread_id, PENDING, to_ts(due_at)),
            )
            if digest_id is None:
                digest_id = await self._db.insert_returning(
                    "INSERT INTO digests (chat_id, thread_id, due_at, next_attempt_at, "
                    "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    (chat_id, thread_id, to_ts(due_at), to_ts(due_at), to_ts(now)),
                )
            await self._db.execute(
                "UPDATE deliveries SET digest_id = ? WHERE id = ? AND status = ?",
                (digest_id, delivery_id, D_PENDING),
            )
        assert digest_id is not None
        return int(digest_id)

    async def get(self, digest_id: int) -> Digest | None:
        row = await self._db.fetchone("SELECT * FROM digests WHERE id = ?", (digest_id,))
        return None if row is None else _digest(row)

    async def for_chat(self, chat_id: int) -> list[Digest]:
        rows = await self._db.fetchall(
            "SELECT * FROM digests WHERE chat_id = ? ORDER BY id", (chat_id,)
        )
        return [_digest(r) for r in rows]

    async def due(self, now: datetime, limit: int) -> list[Digest]:
        """Pending digests whose time has come, the oldest of each chat first."""
        rows = await self._db.fetchall(
            "SELECT * FROM digests WHERE id IN ("
            " SELECT MIN(id) FROM digests WHERE status = ? AND next_attempt_at <= ?"
            " GROUP BY chat_id) ORDER BY next_attempt_at LIMIT ?",
            (PENDING, to_ts(now), limit),
        )
        return [_digest(r) for r in rows]

    async def next_attempt_at(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MIN(next_attempt_at) FROM digests WHERE status = ?", (PENDING,)
        )
        return None if value is None else from_ts(value)

    async def entries(self, digest_id: int) -> list[DigestEntry]:
        """The digest's alerts not sent yet, each with its item and its story's report count."""
        rows = await self._db.fetchall(
            "SELECT d.id, d.matched_queries, i.title, i.link, i.published_at, "
            "f.title AS source, (SELECT COUNT(*) FROM delivery_sources s "
            " WHERE s.delivery_id = d.id) AS joined "
            "FROM deliveries d JOIN items i ON i.id = d.item_id JOIN feeds f ON f.id = i.feed_id "
            "WHERE d.digest_id = ? AND d.status = ? ORDER BY d.id",
            (digest_id, D_PENDING),
        )
        return [
            DigestEntry(
                delivery_id=r["id"],
                matched_queries=tuple(json.loads(r["matched_queries"])),
                title=r["title"],
                link=r["link"],
                source=r["source"],
                published_at=published_from_ts(r["published_at"]),
                reports=1 + int(r["joined"]),
            )
            for r in rows
        ]

    async def part_sent(
        self, digest_id: int, delivery_ids: Sequence[int], message_id: int, now: datetime
    ) -> bool:
        """Telegram accepted a part: its alerts are sent (their later reports count as shown,
        a digest is never edited), in one transaction with the digest's progress. Returns
        whether the digest is complete."""
        async with self._db.transaction():
            for chunk, marks in in_chunks(delivery_ids):
                await self._db.execute(
                    "UPDATE deliveries SET status = ?, message_id = ?, sent_at = ?, "
                    "attempts = attempts + 1, error = NULL, edits_done = edits_wanted, "
                    f"edit_due_at = NULL WHERE digest_id = ? AND status = ? AND id IN ({marks})",
                    (D_SENT, message_id, to_ts(now), digest_id, D_PENDING, *chunk),
                )
            left = await self._db.fetchval(
                "SELECT COUNT(*) FROM deliveries WHERE digest_id = ? AND status = ?",
                (digest_id, D_PENDING),
            )
            done = int(left) == 0
            await self._db.execute(
                "UPDATE digests SET parts_sent = parts_sent + 1, message_id = ?, error = NULL, "
                "status = ?, sent_at = ? WHERE id = ?",
                (message_id, SENT if done else PENDING, to_ts(now), digest_id),
            )
        return done

    async def finish_empty(self, digest_id: int, now: datetime) -> None:
        """Nothing left to send (all cancelled meanwhile): the digest is done."""
        await self._db.execute(
            "UPDATE digests SET status = ?, sent_at = COALESCE(sent_at, ?) WHERE id = ? "
            "AND status = ?",
            (SENT if await self._parts(digest_id) else CANCELLED, to_ts(now), digest_id, PENDING),
        )

    async def _parts(self, digest_id: int) -> int:
        value = await self._db.fetchval(
            "SELECT parts_sent FROM digests WHERE id = ?", (digest_id,)
        )
        return int(value or 0)

    async def retry(self, digest_id: int, error: str, when: datetime) -> None:
        """Count a failed attempt and schedule the next."""
        await self._db.execute(
            "UPDATE digests SET attempts = attempts + 1, error = ?, next_attempt_at = ? "
            "WHERE id = ?",
            (error, to_ts(when), digest_id),
        )

    async def postpone(self, digest_id: int, when: datetime) -> None:
        """Wait (Telegram's flood control) without counting an attempt."""
        await self._db.execute(
            "UPDATE digests SET next_attempt_at = ? WHERE id = ?", (to_ts(when), digest_id)
        )

    async def prune(self, before: datetime) -> int:
        """Forget finished digests (sent, failed, cancelled) made before `before`: their alerts
        keep their own rows until retention takes their items; a pending digest is never
        forgotten, however old (its alerts are still to go)."""
        cur = await self._db.execute(
            "DELETE FROM digests WHERE status != ? AND created_at < ?", (PENDING, to_ts(before))
        )
        return cur.rowcount

    async def give_up(self, digest_id: int, status: DigestStatus, reason: str) -> None:
        """Failed (Telegram refused it for good) or cancelled (chat paused or gone): the digest
        and its unsent alerts end with `reason`."""
        held = D_FAILED if status is FAILED else D_CANCELLED
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE digests SET status = ?, error = ? WHERE id = ? AND status = ?",
                (status, reason, digest_id, PENDING),
            )
            await self._db.execute(
                "UPDATE deliveries SET status = ?, error = ? WHERE digest_id = ? AND status = ?",
                (held, reason, digest_id, D_PENDING),
            )

    async def cancel_for_chat(self, chat_id: int, reason: str) -> int:
        """A chat that can no longer hear us: its digests end (their alerts are cancelled with
        the chat's other deliveries)."""
        cur = await self._db.execute(
            "UPDATE digests SET status = ?, error = ? WHERE chat_id = ? AND status = ?",
            (CANCELLED, reason, chat_id, PENDING),
        )
        return int(cur.rowcount)

    async def release(self, chat_id: int, now: datetime) -> int:
        """The chat left quiet hours or digests by hand: what it holds goes out now."""
        cur = await self._db.execute(
            "UPDATE digests SET next_attempt_at = MIN(next_attempt_at, ?) "
            "WHERE chat_id = ? AND status = ?",
            (to_ts(now), chat_id, PENDING),
        )
        return int(cur.rowcount)
