"""Stories merged after the fact: relabelling an absorbed story, and the aliases that keep
late reports from reviving it.

The grouper (bot/stories/grouper.py) folds a newer story into an older one when a report fits
both. What the chats see follows from the items' story keys: a merged story is one line in
/recent, its next report edits the chat's latest alert of it, and a story muted under either
key stays muted. So a merge relabels the absorbed story's items and mutes in one transaction,
and leaves an alias: a report decided under the old key by a process that has not heard of the
merge (several processes on PostgreSQL) is stored under the kept key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.database import Database, in_chunks
from storage.models import to_ts


class StoryMergeRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def merge(self, merges: Sequence[tuple[str, str]], now: datetime) -> None:
        """Apply (absorbed key, kept key) pairs in order; applying one twice changes nothing."""
        if not merges:
            return
        async with self._db.transaction():
            for gone, kept in merges:
                if gone == kept:
                    continue
                await self._db.execute("UPDATE items SET story = ? WHERE story = ?", (kept, gone))
                await self._db.execute(
                    "INSERT INTO chat_muted_stories (chat_id, story, until, created_at) "
                    "SELECT chat_id, ?, until, created_at FROM chat_muted_stories "
                    "WHERE story = ? ON CONFLICT (chat_id, story) DO NOTHING",
                    (kept, gone),
                )
                await self._db.execute("DELETE FROM chat_muted_stories WHERE story = ?", (gone,))
                await self._db.execute(
                    "UPDATE story_aliases SET story = ? WHERE story = ?", (kept, gone)
                )
                await self._db.execute(
                    "INSERT INTO story_aliases (alias, story, created_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (alias) DO UPDATE SET story = excluded.story, "
                    "created_at = excluded.created_at",
                    (gone, kept, to_ts(now)),
                )

    async def resolve(self, keys: Sequence[str]) -> dict[str, str]:
        """For those of `keys` that were merged away: the story each is now part of."""
        found: dict[str, str] = {}
        for chunk, marks in in_chunks(sorted(set(keys))):
            rows = await self._db.fetchall(
                f"SELECT alias, story FROM story_aliases WHERE alias IN ({marks})", tuple(chunk)
            )
            found.update({str(r["alias"]): str(r["story"]) for r in rows})
        return found

    async def prune(self, older_than: datetime) -> int:
        """Forget aliases made before the retention cut-off, with the items they could name."""
        cur = await self._db.execute(
            "DELETE FROM story_aliases WHERE created_at < ?", (to_ts(older_than),)
        )
        return cur.rowcount
