"""Feeds: what we poll, when next, and how healthy each one is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from storage.database import Database
from storage.models import ChatFeed, Feed, FullTextMode, PollSchedule, from_ts, to_ts

# A feed is worth polling while it is a default or some chat has it switched on.
_WANTED = (
    "(f.is_default = 1 OR EXISTS (SELECT 1 FROM chat_feeds cf "
    "WHERE cf.feed_id = f.id AND cf.enabled = 1))"
)


def _opt_ts(value: float | None) -> datetime | None:
    return None if value is None else from_ts(value)


_FETCH_LOG = 3600.0  # seconds of fetches kept for /stats' requests per hour


def _schedule(row: aiosqlite.Row) -> PollSchedule | None:
    if row["poll_interval"] is None:
        return None
    return PollSchedule(
        interval=row["poll_interval"],
        reason=row["poll_reason"] or "",
        rate_items=row["rate_items"],
        rate_since=_opt_ts(row["rate_since"]),
        ttl_seconds=row["ttl_seconds"],
        rate_latest=_opt_ts(row["rate_latest"]),
    )


def _feed(row: aiosqlite.Row) -> Feed:
    return Feed(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        is_default=bool(row["is_default"]),
        added_by=row["added_by"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        primed=bool(row["primed"]),
        next_fetch_at=from_ts(row["next_fetch_at"]),
        last_fetch_at=_opt_ts(row["last_fetch_at"]),
        last_success_at=_opt_ts(row["last_success_at"]),
        consecutive_failures=row["consecutive_failures"],
        last_error=row["last_error"],
        cut_at=_opt_ts(row["cut_at"]),
        cut_items=row["cut_items"],
        clipped_at=_opt_ts(row["clipped_at"]),
        schedule=_schedule(row),
        fulltext_mode=FullTextMode(row["fulltext_mode"]),
        page_ok_at=_opt_ts(row["page_ok_at"]),
        page_error=row["page_error"],
        page_error_at=_opt_ts(row["page_error_at"]),
    )


class FeedRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def sync_defaults(self, urls: Sequence[str], now: datetime) -> None:
        """Make exactly `urls` the default feeds; feeds dropped from FEEDS keep their history."""
        async with self._db.transaction():
            await self._db.execute("UPDATE feeds SET is_default = 0 WHERE is_default = 1")
            for url in urls:
                await self._db.execute(
                    "INSERT INTO feeds (url, is_default, next_fetch_at, created_at) "
                    "VALUES (?, 1, ?, ?) ON CONFLICT (url) DO UPDATE SET is_default = 1",
                    (url, to_ts(now), to_ts(now)),
                )

    async def get(self, feed_id: int) -> Feed | None:
        row = await self._db.fetchone("SELECT * FROM feeds WHERE id = ?", (feed_id,))
        return None if row is None else _feed(row)

    async def get_by_url(self, url: str) -> Feed | None:
        row = await self._db.fetchone("SELECT * FROM feeds WHERE url = ?", (url,))
        return None if row is None else _feed(row)

    async def all_wanted(self) -> list[Feed]:
        rows = await self._db.fetchall(f"SELECT * FROM feeds f WHERE {_WANTED} ORDER BY id")
        return [_feed(r) for r in rows]

    async def next_due_at(self) -> datetime | None:
        """When the next feed falls due; a claimed feed no earlier than its claim ends."""
        value = await self._db.fetchval(
            "SELECT MIN(CASE WHEN claimed_until > next_fetch_at THEN claimed_until "
            f"ELSE next_fetch_at END) FROM feeds f WHERE {_WANTED}"
        )
        return None if value is None else from_ts(value)

    async def due(self, now: datetime, limit: int) -> list[Feed]:
        rows = await self._db.fetchall(
            f"SELECT * FROM feeds f WHERE {_WANTED} AND next_fetch_at <= ? "
            "ORDER BY next_fetch_at LIMIT ?",
            (to_ts(now), limit),
        )
        return [_feed(r) for r in rows]

    async def claim_due(self, now: datetime, limit: int, *, until: datetime) -> list[Feed]:
        """Due feeds for this process to fetch, claimed until `until` (or until the fetch is
        recorded). Another process sharing the database skips them (on PostgreSQL the rows
        are locked while claimed, and locked rows are skipped, not waited for); a claim whose
        time ran out or whose process is gone is free again."""
        rows = await self._db.write_returning(
            "UPDATE feeds SET claimed_by = ?, claimed_until = ? WHERE id IN ("
            f"SELECT f.id FROM feeds f WHERE {_WANTED} AND f.next_fetch_at <= ? "
            "AND (f.claimed_until IS NULL OR f.claimed_until <= ? OR "
            f"{self._db.owner_gone('f.claimed_by')}) "
            f"ORDER BY f.next_fetch_at LIMIT ?{self._db.claim_lock}) RETURNING *",
            (self._db.process_name, to_ts(until), to_ts(now), to_ts(now), limit),
        )
        return sorted((_feed(r) for r in rows), key=lambda f: f.next_fetch_at)

    async def release_claims(self) -> int:
        """Give back this process's claims (a stop cancels its fetches), and on SQLite any
        claim at all: one process per file, so a claim found at start is a previous run's."""
        mine = "claimed_by IS NOT NULL" if not self._db.shared else "claimed_by = ?"
        params = () if not self._db.shared else (self._db.process_name,)
        result = await self._db.execute(
            f"UPDATE feeds SET claimed_by = NULL, claimed_until = NULL WHERE {mine}", params
        )
        return result.rowcount

    async def add_for_chat(self, chat_id: int, url: str, title: str | None, now: datetime) -> Feed:
        """Attach a (possibly known) feed to a chat; an already primed feed stays primed."""
        async with self._db.transaction():
            await self._db.execute(
                "INSERT INTO feeds (url, title, added_by, next_fetch_at, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
                "title = COALESCE(feeds.title, excluded.title)",
                (url, title, chat_id, to_ts(now), to_ts(now)),
            )
            feed = await self.get_by_url(url)
            assert feed is not None
            await self._db.execute(
                "INSERT INTO chat_feeds (chat_id, feed_id, enabled, created_at) "
                "VALUES (?, ?, 1, ?) "
                "ON CONFLICT (chat_id, feed_id) DO UPDATE SET enabled = 1",
                (chat_id, feed.id, to_ts(now)),
            )
        return feed

    async def set_enabled_for_chat(
        self, chat_id: int, feed_id: int, enabled: bool, now: datetime
    ) -> None:
        await self._db.execute(
            "INSERT INTO chat_feeds (chat_id, feed_id, enabled, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (chat_id, feed_id) DO UPDATE SET enabled = excluded.enabled",
            (chat_id, feed_id, int(enabled), to_ts(now)),
        )

    async def remove_for_chat(self, chat_id: int, feed_id: int) -> bool:
        """Detach a chat's own feed; a default feed can only be switched off."""
        cur = await self._db.execute(
            "DELETE FROM chat_feeds WHERE chat_id = ? AND feed_id = ? "
            "AND feed_id NOT IN (SELECT id FROM feeds WHERE is_default = 1)",
            (chat_id, feed_id),
        )
        return cur.rowcount > 0

    async def for_chat(self, chat_id: int) -> list[ChatFeed]:
        rows = await self._db.fetchall(
            "SELECT f.*, cf.enabled AS cf_enabled FROM feeds f "
            "LEFT JOIN chat_feeds cf ON cf.feed_id = f.id AND cf.chat_id = ? "
            "WHERE f.is_default = 1 OR cf.chat_id IS NOT NULL ORDER BY f.is_default DESC, f.id",
            (chat_id,),
        )
        result = []
        for r in rows:
            own = not r["is_default"]
            enabled = True if r["cf_enabled"] is None else bool(r["cf_enabled"])
            result.append(ChatFeed(_feed(r), own=own, enabled=enabled))
        return result

    async def own_count(self, chat_id: int) -> int:
        value = await self._db.fetchval(
            "SELECT COUNT(*) FROM chat_feeds cf JOIN feeds f ON f.id = cf.feed_id "
            "WHERE cf.chat_id = ? AND cf.enabled = 1 AND f.is_default = 0",
            (chat_id,),
        )
        return int(value)

    async def readers(self, feed_id: int) -> set[int]:
        """Chats for which items of this feed count: defaults minus opt-outs, or opt-ins."""
        rows = await self._db.fetchall(
            "SELECT c.id FROM chats c JOIN feeds f ON f.id = ? "
            "LEFT JOIN chat_feeds cf ON cf.chat_id = c.id AND cf.feed_id = f.id "
            "WHERE (f.is_default = 1 AND COALESCE(cf.enabled, 1) = 1) "
            "   OR (f.is_default = 0 AND cf.enabled = 1)",
            (feed_id,),
        )
        return {int(r["id"]) for r in rows}

    async def record_success(
        self,
        feed_id: int,
        *,
        title: str | None,
        etag: str | None,
        last_modified: str | None,
        now: datetime,
        next_fetch_at: datetime,
        schedule: PollSchedule | None = None,
    ) -> None:
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE feeds SET title = COALESCE(?, title), etag = ?, last_modified = ?, "
                "primed = 1, last_fetch_at = ?, last_success_at = ?, next_fetch_at = ?, "
                "consecutive_failures = 0, last_error = NULL WHERE id = ?",
                (
                    title,
                    etag,
                    last_modified,
                    to_ts(now),
                    to_ts(now),
                    to_ts(next_fetch_at),
                    feed_id,
                ),
            )
            await self._after_fetch(feed_id, now, schedule)

    async def record_not_modified(
        self,
        feed_id: int,
        *,
        now: datetime,
        next_fetch_at: datetime,
        schedule: PollSchedule | None = None,
    ) -> None:
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE feeds SET last_fetch_at = ?, last_success_at = ?, next_fetch_at = ?, "
                "consecutive_failures = 0, last_error = NULL WHERE id = ?",
                (to_ts(now), to_ts(now), to_ts(next_fetch_at), feed_id),
            )
            await self._after_fetch(feed_id, now, schedule)

    async def record_failure(
        self,
        feed_id: int,
        *,
        error: str,
        now: datetime,
        next_fetch_at: datetime,
        schedule: PollSchedule | None = None,
    ) -> int:
        """Count one more consecutive failure; returns the new count."""
        async with self._db.transaction():
            await self._db.execute(
                "UPDATE feeds SET consecutive_failures = consecutive_failures + 1, "
                "last_error = ?, last_fetch_at = ?, next_fetch_at = ? WHERE id = ?",
                (error, to_ts(now), to_ts(next_fetch_at), feed_id),
            )
            await self._after_fetch(feed_id, now, schedule)
            value = await self._db.fetchval(
                "SELECT consecutive_failures FROM feeds WHERE id = ?", (feed_id,)
            )
        return int(value or 0)

    async def _after_fetch(
        self, feed_id: int, now: datetime, schedule: PollSchedule | None
    ) -> None:
        """Log the request for /stats (keeping an hour of them), store the schedule, end the
        claim: the feed is due again at its new time, for any process."""
        await self._db.execute(
            "UPDATE feeds SET claimed_by = NULL, claimed_until = NULL WHERE id = ?", (feed_id,)
        )
        await self._db.execute(
            "INSERT INTO fetches (at, feed_id) VALUES (?, ?)", (to_ts(now), feed_id)
        )
        await self._db.execute("DELETE FROM fetches WHERE at < ?", (to_ts(now) - _FETCH_LOG,))
        if schedule is None:
            return
        since, latest = schedule.rate_since, schedule.rate_latest
        await self._db.execute(
            "UPDATE feeds SET rate_items = ?, rate_since = ?, rate_latest = ?, ttl_seconds = ?, "
            "poll_interval = ?, poll_reason = ? WHERE id = ?",
            (
                schedule.rate_items,
                None if since is None else to_ts(since),
                None if latest is None else to_ts(latest),
                schedule.ttl_seconds,
                schedule.interval,
                schedule.reason,
                feed_id,
            ),
        )

    async def fetches_since(self, since: datetime) -> int:
        """Requests made to feeds since ``since`` (at most an hour back is kept)."""
        value = await self._db.fetchval(
            "SELECT COUNT(*) FROM fetches WHERE at >= ?", (to_ts(since),)
        )
        return int(value or 0)

    async def record_cut(
        self, feed_id: int, *, dropped: int, clipped: bool, now: datetime
    ) -> None:
        """Remember that the storage quota cut this feed now, for /feeds to say so."""
        if dropped:
            await self._db.execute(
                "UPDATE feeds SET cut_at = ?, cut_items = ? WHERE id = ?",
                (to_ts(now), dropped, feed_id),
            )
        if clipped:
            await self._db.execute(
                "UPDATE feeds SET clipped_at = ? WHERE id = ?", (to_ts(now), feed_id)
            )

    async def set_fulltext_mode(self, feed_id: int, mode: FullTextMode) -> bool:
        """Whether the feed exists (and now has `mode`)."""
        cur = await self._db.execute(
            "UPDATE feeds SET fulltext_mode = ? WHERE id = ?", (mode, feed_id)
        )
        return cur.rowcount > 0

    async def record_pages(
        self, feed_id: int, *, now: datetime, ok: bool, error: str | None = None
    ) -> None:
        """The outcome of this poll's article pages: any text got, and the latest failure."""
        if ok:
            await self._db.execute(
                "UPDATE feeds SET page_ok_at = ? WHERE id = ?", (to_ts(now), feed_id)
            )
        if error is not None:
            await self._db.execute(
                "UPDATE feeds SET page_error = ?, page_error_at = ? WHERE id = ?",
                (error, to_ts(now), feed_id),
            )

    async def health(self) -> dict[str, int]:
        row = await self._db.fetchone(
            "SELECT COUNT(*) AS total, "
            "COALESCE(SUM(CASE WHEN consecutive_failures > 0 THEN 1 ELSE 0 END), 0) AS failing "
            f"FROM feeds f WHERE {_WANTED}"
        )
        assert row is not None
        return {"total": row["total"], "failing": row["failing"]}
