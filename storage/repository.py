"""The one object the rest of the bot holds to reach the database."""

from __future__ import annotations

from storage.chats import ChatRepo
from storage.database import Database
from storage.deliveries import DeliveryRepo
from storage.feeds import FeedRepo
from storage.items import ItemRepo
from storage.subscriptions import SubscriptionRepo


class Repository:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.chats = ChatRepo(db)
        self.subscriptions = SubscriptionRepo(db)
        self.feeds = FeedRepo(db)
        self.items = ItemRepo(db)
        self.deliveries = DeliveryRepo(db)

    @classmethod
    async def open(cls, database_url: str) -> Repository:
        """Raises `DatabaseInUseError` while another process has the file open, and
        `DatabaseOpenError` (one-line message) for a file that cannot be used as it is."""
        return cls(await Database.open(database_url))

    async def close(self) -> None:
        await self.db.close()
