"""The one object the rest of the bot holds to reach the database."""

from __future__ import annotations

from datetime import datetime

from storage.chats import ChatRepo
from storage.cluster import Cluster
from storage.database import Database
from storage.deliveries import DeliveryRepo
from storage.digests import DigestRepo
from storage.engines import open_database
from storage.feeds import FeedRepo
from storage.items import ItemRepo
from storage.searches import SearchRepo
from storage.stories import StoryRepo
from storage.story_merges import StoryMergeRepo
from storage.subscriptions import SubscriptionRepo
from storage.targets import TargetRepo
from storage.topics import TopicRepo
from storage.tuning import TuningRepo


class Repository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.chats = ChatRepo(db)
        self.subscriptions = SubscriptionRepo(db)
        self.feeds = FeedRepo(db)
        self.items = ItemRepo(db)
        self.deliveries = DeliveryRepo(db)
        self.searches = SearchRepo(db)
        self.stories = StoryRepo(db)
        self.story_merges = StoryMergeRepo(db)  # stories folded into older ones, and aliases
        self.digests = DigestRepo(db)
        self.topics = TopicRepo(db)  # forum topics: names, closed or deleted ones
        self.targets = TargetRepo(db)  # which chat a user's private commands configure
        self.tuning = TuningRepo(db)

    @classmethod
    async def open(cls, database_url: str) -> Repository:
        """Raises `DatabaseInUseError` while another process has the file open, and
        `DatabaseOpenError` (one-line message) for a file that cannot be used as it is."""
        return cls(await open_database(database_url))

    def cluster(self) -> Cluster:
        """Who leads and what other processes on this database announce (storage/cluster.py)."""
        return self.db.cluster()

    async def deactivate_chat(self, chat_id: int, reason: str, now: datetime) -> int:
        """A chat that blocked or lost us: stop matching it and cancel what is queued for it,
        in one transaction (a crash cannot leave an inactive chat with alerts still pending).
        Returns how many alerts were cancelled."""
        async with self.db.transaction():
            await self.chats.deactivate(chat_id, reason, now)
            await self.digests.cancel_for_chat(chat_id, reason)
            return await self.deliveries.cancel_for_chat(chat_id, reason)

    async def close(self) -> None:
        await self.db.close()
