"""Items: each story stored once, however many times and feeds it appears in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from storage.database import Database
from storage.models import Item, NewItem, from_ts, to_ts


def _item(row: aiosqlite.Row) -> Item:
    keys = row.keys()
    return Item(
        id=row["id"],
        feed_id=row["feed_id"],
        guid=row["guid"],
        link=row["link"],
        title=row["title"],
        text=row["text"],
        published_at=from_ts(row["published_at"]),
        fetched_at=from_ts(row["fetched_at"]),
        source=row["source"] if "source" in keys else None,
    )


def _marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


_SELECT = "SELECT i.*, f.title AS source FROM items i JOIN feeds f ON f.id = i.feed_id"


class ItemRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def insert_new(
        self, feed_id: int, items: Sequence[NewItem], fetched_at: datetime
    ) -> list[Item]:
        """Store the items not seen before and return them.

        Seen means: the same guid in this feed, or the same canonical link in any feed (a guid
        that changed, or one story carried by two feeds, must not alert twice).
        """
        stored: list[Item] = []
        async with self._db.transaction():
            seen_guids, seen_links = await self._known(feed_id, items)
            for item in items:
                if item.guid in seen_guids or (
                    item.canonical_link is not None and item.canonical_link in seen_links
                ):
                    continue
                seen_guids.add(item.guid)
                if item.canonical_link is not None:
                    seen_links.add(item.canonical_link)
                cur = await self._db.execute(
                    "INSERT INTO items (feed_id, guid, link, canonical_link, title, text, "
                    "published_at, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        feed_id,
                        item.guid,
                        item.link,
                        item.canonical_link,
                        item.title,
                        item.text,
                        to_ts(item.published_at),
                        to_ts(fetched_at),
                    ),
                )
                assert cur.lastrowid is not None
                stored.append(
                    Item(
                        cur.lastrowid,
                        feed_id,
                        item.guid,
                        item.link,
                        item.title,
                        item.text,
                        item.published_at,
                        fetched_at,
                    )
                )
        return stored

    async def unseen(self, feed_id: int, items: Sequence[NewItem]) -> list[NewItem]:
        """The items `insert_new` would store now (a read-only preview of its dedup rules)."""
        guids, links = await self._known(feed_id, items)
        return [
            i
            for i in items
            if i.guid not in guids and (i.canonical_link is None or i.canonical_link not in links)
        ]

    async def _known(
        self, feed_id: int, items: Sequence[NewItem]
    ) -> tuple[set[str], set[str]]:
        """Guids of this feed and canonical links of any feed already stored, in two queries."""
        guids: set[str] = set()
        links: set[str] = set()
        wanted_guids = [i.guid for i in items]
        wanted_links = [i.canonical_link for i in items if i.canonical_link is not None]
        for start in range(0, len(wanted_guids), 500):
            chunk = wanted_guids[start : start + 500]
            rows = await self._db.fetchall(
                f"SELECT guid FROM items WHERE feed_id = ? AND guid IN ({_marks(chunk)})",
                [feed_id, *chunk],
            )
            guids.update(r["guid"] for r in rows)
        for start in range(0, len(wanted_links), 500):
            chunk = wanted_links[start : start + 500]
            rows = await self._db.fetchall(
                f"SELECT canonical_link FROM items WHERE canonical_link IN ({_marks(chunk)})",
                chunk,
            )
            links.update(r["canonical_link"] for r in rows)
        return guids, links

    async def get(self, item_id: int) -> Item | None:
        row = await self._db.fetchone(f"{_SELECT} WHERE i.id = ?", (item_id,))
        return None if row is None else _item(row)

    async def newest(self, *, since: datetime, before_id: int | None, limit: int) -> list[Item]:
        """A page of items newest first (by id, which follows arrival), for search scans."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE i.fetched_at >= ? AND i.id < ? ORDER BY i.id DESC LIMIT ?",
            (to_ts(since), before_id if before_id is not None else 2**62, limit),
        )
        return [_item(r) for r in rows]

    async def prune(self, older_than: datetime) -> int:
        """Forget items first seen before the cut-off; their deliveries go with them (FK).

        An item whose alert is still waiting to be sent is kept until it has gone out.
        """
        cur = await self._db.execute(
            "DELETE FROM items WHERE fetched_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d "
            "WHERE d.item_id = items.id AND d.status = 'pending')",
            (to_ts(older_than),),
        )
        return cur.rowcount

    async def count_since(self, since: datetime) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM items WHERE fetched_at >= ?", (to_ts(since),)
            )
        )
