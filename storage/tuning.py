"""Tuning from the alert: the stories a chat muted, and the recent text word rarity is read from.

A muted story is a (chat, story key) row: later reports and follow-ups carrying that key give
the chat neither a new alert nor an edit of the old one. A row may end (`until`); without an end
it lasts while the story's items are kept, and retention forgets it with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.database import Database, in_chunks
from storage.models import to_ts

# Of each recent item, the head of its text that word rarity is counted over (the title whole).
_LEAD_CHARS = 600


class TuningRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def mute(
        self, chat_id: int, story: str, now: datetime, until: datetime | None = None
    ) -> bool:
        """Mute `story` for the chat; False when it already was (the row is then renewed)."""
        cur = await self._db.execute(
            "INSERT INTO chat_muted_stories (chat_id, story, until, created_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, story) DO UPDATE SET "
            "until = excluded.until, created_at = excluded.created_at "
            "WHERE chat_muted_stories.until IS NOT NULL AND chat_muted_stories.until <= ?",
            (chat_id, story, None if until is None else to_ts(until), to_ts(now), to_ts(now)),
        )
        return cur.rowcount > 0

    async def unmute(self, chat_id: int, story: str) -> bool:
        cur = await self._db.execute(
            "DELETE FROM chat_muted_stories WHERE chat_id = ? AND story = ?", (chat_id, story)
        )
        return cur.rowcount > 0

    async def is_muted(self, chat_id: int, story: str, now: datetime) -> bool:
        return bool(await self.muted(story, [chat_id], now))

    async def muted(self, story: str, chat_ids: Sequence[int], now: datetime) -> set[int]:
        """Which of `chat_ids` have muted `story` as of `now`."""
        found: set[int] = set()
        for chunk, marks in in_chunks(chat_ids):
            rows = await self._db.fetchall(
                "SELECT chat_id FROM chat_muted_stories WHERE story = ? "
                f"AND (until IS NULL OR until > ?) AND chat_id IN ({marks})",
                (story, to_ts(now), *chunk),
            )
            found.update(int(r["chat_id"]) for r in rows)
        return found

    async def prune(self, now: datetime, older_than: datetime) -> int:
        """Forget mutes that ended, and those made before the retention cut-off (their story's
        items are gone or going, so no report can carry the key any more)."""
        cur = await self._db.execute(
            "DELETE FROM chat_muted_stories WHERE (until IS NOT NULL AND until <= ?) "
            "OR created_at < ?",
            (to_ts(now), to_ts(older_than)),
        )
        return cur.rowcount

    async def recent_texts(self, limit: int) -> list[str]:
        """Title and lead of the latest stored items, newest first: the stream whose word
        frequencies tell a distinctive word from an everyday one."""
        rows = await self._db.fetchall(
            "SELECT title, substr(text, 1, ?) AS lead FROM items ORDER BY id DESC LIMIT ?",
            (_LEAD_CHARS, limit),
        )
        return [f"{r['title']}\n\n{r['lead']}" for r in rows]
