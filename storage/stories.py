"""Stories on the delivery side: a chat's one alert per story, the reports that joined it, and
the silent edits that show them.

A report joining an alert is a row in `delivery_sources` and a bump of the alert's
`edits_wanted`; the message shows `edits_done` of them. Counting instead of flagging keeps a
report that joins while an edit is in flight: the edit in flight records how many it showed,
and the difference stays due.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from storage.cluster import DELIVERIES
from storage.database import Database, in_chunks
from storage.deliveries import delivery_from_row
from storage.models import (
    Delivery,
    DeliveryStatus,
    NewSource,
    StorySource,
    from_ts,
    published_from_ts,
    to_ts,
)

PENDING, SENT, HELD = DeliveryStatus.PENDING, DeliveryStatus.SENT, DeliveryStatus.HELD


def _source(row: aiosqlite.Row) -> StorySource:
    return StorySource(
        item_id=row["item_id"],
        source=row["source"],
        link=row["link"],
        title=row["title"],
        published_at=published_from_ts(row["published_at"]),
        subscription_ids=tuple(json.loads(row["subscription_ids"])),
        matched_queries=tuple(json.loads(row["matched_queries"])),
    )


class StoryRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def alerts_for(self, story: str, chat_ids: Sequence[int]) -> dict[int, Delivery]:
        """Per chat, its live alert (queued, sent or held back) for `story`, if it has one.

        Failed and cancelled alerts do not count: the chat never saw them, so a later report
        of the story is alerted on its own.
        """
        found: dict[int, Delivery] = {}
        for chunk, marks in in_chunks(chat_ids):
            rows = await self._db.fetchall(
                "SELECT d.* FROM deliveries d JOIN items i ON i.id = d.item_id "
                f"WHERE i.story = ? AND d.status IN (?, ?, ?) AND d.chat_id IN ({marks}) "
                "ORDER BY d.id",
                (story, PENDING, SENT, HELD, *chunk),
            )
            for row in rows:
                found[int(row["chat_id"])] = delivery_from_row(row)
        return found

    async def join(self, sources: Sequence[NewSource], now: datetime) -> int:
        """Attach reports to alerts; a report already attached is left as it is. Returns how
        many were attached."""
        joined = 0
        async with self._db.transaction():
            for s in sources:
                cur = await self._db.execute(
                    "INSERT INTO delivery_sources (delivery_id, item_id, subscription_ids, "
                    "matched_queries, created_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (delivery_id, item_id) DO NOTHING",
                    (
                        s.delivery_id,
                        s.item_id,
                        json.dumps(list(s.subscription_ids)),
                        json.dumps(list(s.matched_queries), ensure_ascii=False),
                        to_ts(now),
                    ),
                )
                if cur.rowcount <= 0:
                    continue
                joined += 1
                await self._db.execute(
                    "UPDATE deliveries SET edits_wanted = edits_wanted + 1, "
                    "edit_due_at = COALESCE(edit_due_at, ?) WHERE id = ?",
                    (to_ts(now), s.delivery_id),
                )
            if joined:  # an edit for the leading process to make (storage/cluster.py)
                await self._db.notify(DELIVERIES)
        return joined

    async def sources(self, delivery_id: int) -> list[StorySource]:
        """The reports that joined an alert, in publication order."""
        rows = await self._db.fetchall(
            "SELECT s.item_id, s.subscription_ids, s.matched_queries, i.title, i.link, "
            "i.published_at, f.title AS source FROM delivery_sources s "
            "JOIN items i ON i.id = s.item_id JOIN feeds f ON f.id = i.feed_id "
            "WHERE s.delivery_id = ? ORDER BY i.published_at, i.id",
            (delivery_id,),
        )
        return [_source(r) for r in rows]

    async def source_counts(self, delivery_ids: Sequence[int]) -> dict[int, int]:
        """Delivery id -> how many reports joined it (absent: none)."""
        counts: dict[int, int] = {}
        for chunk, marks in in_chunks(delivery_ids):
            rows = await self._db.fetchall(
                "SELECT delivery_id, COUNT(*) AS n FROM delivery_sources "
                f"WHERE delivery_id IN ({marks}) GROUP BY delivery_id",
                chunk,
            )
            counts.update({int(r["delivery_id"]): int(r["n"]) for r in rows})
        return counts

    async def due_edits(self, now: datetime, limit: int) -> list[Delivery]:
        """Sent alerts whose message lags behind their sources, the oldest wish of each chat
        first (one per chat, like `DeliveryRepo.due_heads`)."""
        rows = await self._db.fetchall(
            "SELECT * FROM deliveries WHERE id IN ("
            " SELECT MIN(id) FROM deliveries WHERE edits_wanted > edits_done"
            " AND edit_due_at <= ? AND status = ? GROUP BY chat_id) ORDER BY edit_due_at LIMIT ?",
            (to_ts(now), SENT, limit),
        )
        return [delivery_from_row(r) for r in rows]

    async def next_edit_at(self) -> datetime | None:
        value = await self._db.fetchval(
            "SELECT MIN(edit_due_at) FROM deliveries WHERE edits_wanted > edits_done "
            "AND status = ?",
            (SENT,),
        )
        return None if value is None else from_ts(value)

    async def edited(self, delivery_id: int, shown: int, error: str | None = None) -> None:
        """The message now shows `shown` sources (or gave up on them, with `error`): clear the
        wish unless more reports joined meanwhile."""
        await self._db.execute(
            "UPDATE deliveries SET edits_done = MAX(edits_done, ?), edit_attempts = 0, "
            "edit_error = ?, edit_due_at = CASE WHEN edits_wanted > ? THEN edit_due_at "
            "ELSE NULL END WHERE id = ?",
            (shown, error, shown, delivery_id),
        )

    async def retry_edit(self, delivery_id: int, error: str, when: datetime) -> int:
        """Count a failed edit and schedule the next; returns attempts so far."""
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE deliveries SET edit_attempts = edit_attempts + 1, edit_error = ?, "
                "edit_due_at = ? WHERE id = ?",
                (error, to_ts(when), delivery_id),
            )
            value = await self._db.fetchval(
                "SELECT edit_attempts FROM deliveries WHERE id = ?", (delivery_id,)
            )
        return int(value or 0)

    async def postpone_edit(self, delivery_id: int, when: datetime) -> None:
        """Wait (Telegram's flood control) without counting an attempt."""
        await self._db.execute(
            "UPDATE deliveries SET edit_due_at = ? WHERE id = ?", (to_ts(when), delivery_id)
        )
