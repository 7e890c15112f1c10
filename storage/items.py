"""Items: each story stored once per trust domain, and read back only by chats that read it.

Trust domains: the operator's default feeds share one (a story carried by Interfax and TASS is
stored once); a feed a chat added is a domain of its own, so nothing it publishes can stop,
replace or re-title another feed's item. A chat that reads two feeds carrying one story still
gets one alert: `chats_with_link` lets the pipeline skip readers who already had that link.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import aiosqlite

from storage.database import Database, in_chunks
from storage.models import (
    EARLIEST_PUBLISHED,
    DeliveryStatus,
    Item,
    NewItem,
    from_ts,
    published_from_ts,
    to_ts,
)
from storage.story_merges import StoryMergeRepo


def _item(row: aiosqlite.Row) -> Item:
    keys = row.keys()
    return Item(
        id=row["id"],
        feed_id=row["feed_id"],
        guid=row["guid"],
        link=row["link"],
        title=row["title"],
        text=row["text"],
        published_at=published_from_ts(row["published_at"]),
        fetched_at=from_ts(row["fetched_at"]),
        source=row["source"] if "source" in keys else None,
        canonical_link=row["canonical_link"],
        story=row["story"],
    )


_SELECT = "SELECT i.*, f.title AS source FROM items i JOIN feeds f ON f.id = i.feed_id"

# Feeds a chat reads (bound parameter: the chat id): defaults it has not switched off, and
# its own feeds that are on.
_READ_BY_CHAT = (
    "SELECT f.id FROM feeds f LEFT JOIN chat_feeds cf ON cf.feed_id = f.id AND cf.chat_id = ? "
    "WHERE (f.is_default = 1 AND COALESCE(cf.enabled, 1) = 1) "
    "OR (f.is_default = 0 AND cf.enabled = 1)"
)

# The order of every list a chat sees: newest publication first (published_at is clamped to
# the fetch time at parse, so a feed cannot pin an item on top by dating it in the future),
# then the newest id.
_NEWEST_FIRST = "ORDER BY i.published_at DESC, i.id DESC"

SearchCursor = tuple[float, int]  # (published_at, id) of the last item of a page


class ItemRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def insert_new(
        self, feed_id: int, items: Sequence[NewItem], fetched_at: datetime
    ) -> list[Item]:
        """Store the items not seen before and return them.

        Seen means: the same guid in this feed, or the same canonical link in this feed or,
        for a default feed, in any default feed (a guid that changed, or one story carried by
        two agencies, must not alert twice). A chat's own feed never dedups against others.
        """
        stored: list[Item] = []
        async with self._db.transaction():
            seen_guids, seen_links = await self._known(feed_id, items)
            # A story merged away meanwhile (storage/story_merges.py) stores as the kept one.
            merged = await StoryMergeRepo(self._db).resolve([i.story for i in items if i.story])
            for item in items:
                published = max(item.published_at, EARLIEST_PUBLISHED)
                if item.guid in seen_guids or (
                    item.canonical_link is not None and item.canonical_link in seen_links
                ):
                    continue
                seen_guids.add(item.guid)
                if item.canonical_link is not None:
                    seen_links.add(item.canonical_link)
                story = merged.get(item.story, item.story) if item.story else item.story
                item_id = await self._db.insert_returning(
                    "INSERT INTO items (feed_id, guid, link, canonical_link, title, text, "
                    "published_at, fetched_at, story) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "RETURNING id",
                    (
                        feed_id,
                        item.guid,
                        item.link,
                        item.canonical_link,
                        item.title,
                        item.text,
                        to_ts(published),
                        to_ts(fetched_at),
                        story,
                    ),
                )
                assert item_id is not None
                stored.append(
                    Item(
                        int(item_id),
                        feed_id,
                        item.guid,
                        item.link,
                        item.title,
                        item.text,
                        published,
                        fetched_at,
                        canonical_link=item.canonical_link,
                        story=story,
                    )
                )
        return stored

    async def complete_text(self, item_id: int, text: str) -> bool:
        """The item's text replaced by its article's full text (the late pass of issue 15);
        False when the item is gone (pruned)."""
        cur = await self._db.execute("UPDATE items SET text = ? WHERE id = ?", (text, item_id))
        return cur.rowcount > 0

    async def unseen(self, feed_id: int, items: Sequence[NewItem]) -> list[NewItem]:
        """The items `insert_new` would store now (a read-only preview of its dedup rules)."""
        guids, links = await self._known(feed_id, items)
        fresh: list[NewItem] = []
        for i in items:
            if i.guid in guids or (i.canonical_link is not None and i.canonical_link in links):
                continue
            guids.add(i.guid)
            if i.canonical_link is not None:
                links.add(i.canonical_link)
            fresh.append(i)
        return fresh

    async def _known(self, feed_id: int, items: Sequence[NewItem]) -> tuple[set[str], set[str]]:
        """Guids of this feed and canonical links of its trust domain already stored."""
        guids: set[str] = set()
        links: set[str] = set()
        wanted_guids = [i.guid for i in items]
        wanted_links = [i.canonical_link for i in items if i.canonical_link is not None]
        for chunk, marks in in_chunks(wanted_guids):
            rows = await self._db.fetchall(
                f"SELECT guid FROM items WHERE feed_id = ? AND guid IN ({marks})",
                [feed_id, *chunk],
            )
            guids.update(r["guid"] for r in rows)
        for chunk, marks in in_chunks(wanted_links):
            rows = await self._db.fetchall(
                "SELECT i.canonical_link FROM items i JOIN feeds f ON f.id = i.feed_id "
                f"WHERE i.canonical_link IN ({marks}) AND (i.feed_id = ? OR "
                "(f.is_default = 1 AND (SELECT is_default FROM feeds WHERE id = ?) = 1))",
                [*chunk, feed_id, feed_id],
            )
            links.update(r["canonical_link"] for r in rows)
        return guids, links

    async def chats_with_link(
        self, canonical_link: str, chat_ids: Sequence[int], *, other_than: int
    ) -> set[int]:
        """Those of `chat_ids` already alerted (or considered) for another item with this link."""
        found: set[int] = set()
        for chunk, marks in in_chunks(chat_ids):
            rows = await self._db.fetchall(
                "SELECT DISTINCT d.chat_id FROM items i JOIN deliveries d ON d.item_id = i.id "
                f"WHERE i.canonical_link = ? AND i.id != ? AND d.chat_id IN ({marks})",
                [canonical_link, other_than, *chunk],
            )
            found.update(int(r["chat_id"]) for r in rows)
        return found

    async def count_for_feed_since(self, feed_id: int, since: datetime) -> int:
        """Items of one feed first seen since `since` (its daily storage quota)."""
        value = await self._db.fetchval(
            "SELECT COUNT(*) FROM items WHERE feed_id = ? AND fetched_at >= ?",
            (feed_id, to_ts(since)),
        )
        return int(value or 0)

    async def get(self, item_id: int) -> Item | None:
        row = await self._db.fetchone(f"{_SELECT} WHERE i.id = ?", (item_id,))
        return None if row is None else _item(row)

    async def newest_for_chat(
        self, chat_id: int, *, since: datetime, after: SearchCursor | None, limit: int
    ) -> list[Item]:
        """A page of the items this chat reads, newest first, for search scans.

        `after` is where the previous page stopped; only items of feeds the chat reads (its
        own and the defaults it has on) are ever returned.
        """
        cursor = (
            ""
            if after is None
            else ("AND (i.published_at < ? OR (i.published_at = ? AND i.id < ?)) ")
        )
        params: list[object] = [to_ts(since), chat_id]
        if after is not None:
            params += [after[0], after[0], after[1]]
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE i.fetched_at >= ? AND i.feed_id IN ({_READ_BY_CHAT}) "
            f"{cursor}{_NEWEST_FIRST} LIMIT ?",
            [*params, limit],
        )
        return [_item(r) for r in rows]

    @staticmethod
    def cursor_of(item: Item) -> SearchCursor:
        """Where a scan that ended at `item` goes on (stored times are clamped, like reads)."""
        return (to_ts(item.published_at), item.id)

    async def stories_delivered_to_chat(
        self, chat_id: int, *, offset: int, limit: int
    ) -> list[tuple[Item, int]]:
        """The chat's alerts (sent or held back) one story at a time, newest story first: per
        story its first alert's item, and how many reports of it the chat got (its alerts and
        the reports that joined them). Paged by stories, so a page never splits one.

        Alerts of one story are one story even where grouping was off and each report was an
        alert; an item stored before grouping is its own story. Only this chat's alerts and
        their sources are counted: what other chats' alerts of the story gathered (from feeds
        this chat may not read) counts nothing here. Reports are gathered for the page's
        stories only (about 40 ms for 20,000 alerts; sizing every story first was quadratic).
        """
        rows = await self._db.fetchall(
            "WITH alerts AS (SELECT d.id AS delivery_id, i.id AS item_id, i.published_at, "
            "COALESCE(i.story, '#' || i.id) AS story FROM deliveries d "
            "JOIN items i ON i.id = d.item_id WHERE d.chat_id = ? AND d.status IN (?, ?)), "
            "heads AS (SELECT item_id, story, published_at, ROW_NUMBER() OVER (PARTITION BY "
            "story ORDER BY published_at, item_id) AS nth FROM alerts), "
            "page AS (SELECT item_id, story FROM heads WHERE nth = 1 "
            "ORDER BY published_at DESC, item_id DESC LIMIT ? OFFSET ?), "
            "reports AS (SELECT story, item_id FROM alerts "
            "WHERE story IN (SELECT story FROM page) "
            "UNION SELECT a.story, s.item_id FROM alerts a JOIN delivery_sources s "
            "ON s.delivery_id = a.delivery_id WHERE a.story IN (SELECT story FROM page)) "
            "SELECT i.*, f.title AS source, "
            "(SELECT COUNT(*) FROM reports r WHERE r.story = p.story) AS reports FROM page p "
            f"JOIN items i ON i.id = p.item_id JOIN feeds f ON f.id = i.feed_id {_NEWEST_FIRST}",
            (chat_id, DeliveryStatus.SENT, DeliveryStatus.HELD, limit, offset),
        )
        return [(_item(r), int(r["reports"])) for r in rows]

    async def story_sizes_for_chat(
        self, chat_id: int, stories: Sequence[str], *, since: datetime
    ) -> dict[str, int]:
        """Per story key, how many of its reports the chat reads (items of its feeds first seen
        since `since`; one article carried by two of them counts once). Absent: none."""
        sizes: dict[str, int] = {}
        for chunk, marks in in_chunks(stories):
            rows = await self._db.fetchall(
                "SELECT i.story, COUNT(DISTINCT COALESCE(i.canonical_link, '#' || i.id)) AS n "
                f"FROM items i WHERE i.story IN ({marks}) AND i.fetched_at >= ? "
                f"AND i.feed_id IN ({_READ_BY_CHAT}) GROUP BY i.story",
                [*chunk, to_ts(since), chat_id],
            )
            sizes.update({str(r["story"]): int(r["n"]) for r in rows})
        return sizes

    async def prune(self, older_than: datetime) -> int:
        """Forget items first seen before the cut-off; their deliveries go with them (FK).

        An item whose alert is still waiting to be sent is kept until it has gone out.
        """
        cur = await self._db.execute(
            "DELETE FROM items WHERE fetched_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d "
            "WHERE d.item_id = items.id AND d.status = ?)",
            (to_ts(older_than), DeliveryStatus.PENDING),
        )
        return cur.rowcount

    async def shaping_stories_since(self, since: datetime, *, limit: int) -> list[Item]:
        """Items of the operator's feeds published since `since` that belong to a story, oldest
        first: what the story grouper is rebuilt from at start (chats' own feeds' items never
        shape stories, so they are not read)."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE f.is_default = 1 AND i.published_at >= ? AND i.story IS NOT NULL "
            "ORDER BY i.published_at, i.id LIMIT ?",
            (to_ts(since), limit),
        )
        return [_item(r) for r in rows]

    async def shaping_stories_after(self, item_id: int, *, limit: int) -> list[Item]:
        """The same items stored after `item_id`, in id order: what another process sharing
        the database added since this one last looked (bot/stories/live.py catches up)."""
        rows = await self._db.fetchall(
            f"{_SELECT} WHERE i.id > ? AND f.is_default = 1 AND i.story IS NOT NULL "
            "ORDER BY i.id LIMIT ?",
            (item_id, limit),
        )
        return [_item(r) for r in rows]

    async def latest_id(self) -> int:
        return int(await self._db.fetchval("SELECT COALESCE(MAX(id), 0) FROM items"))

    async def count_since(self, since: datetime) -> int:
        return int(
            await self._db.fetchval(
                "SELECT COUNT(*) FROM items WHERE fetched_at >= ?", (to_ts(since),)
            )
        )
