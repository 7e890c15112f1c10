"""Persistence on SQLite (default) or PostgreSQL: schema, migrations, and all the SQL."""

from storage.database import Database
from storage.engines import open_database
from storage.guard import DatabaseInUseError, DatabaseOpenError
from storage.migrations import SchemaTooNewError
from storage.models import (
    AlertMode,
    Chat,
    ChatFeed,
    ChatKind,
    Delivery,
    DeliverySchedule,
    DeliveryStatus,
    Digest,
    DigestEntry,
    DigestStatus,
    Feed,
    FullTextMode,
    Item,
    Language,
    NewDelivery,
    NewItem,
    NewSource,
    StorySource,
    Subscription,
    Topic,
    story_key,
)
from storage.repository import Repository
from storage.subscriptions import DuplicateSubscriptionError

__all__ = [
    "AlertMode",
    "Chat",
    "ChatFeed",
    "ChatKind",
    "Database",
    "DatabaseInUseError",
    "DatabaseOpenError",
    "Delivery",
    "DeliverySchedule",
    "DeliveryStatus",
    "Digest",
    "DigestEntry",
    "DigestStatus",
    "DuplicateSubscriptionError",
    "Feed",
    "FullTextMode",
    "Item",
    "Language",
    "NewDelivery",
    "NewItem",
    "NewSource",
    "Repository",
    "SchemaTooNewError",
    "StorySource",
    "Subscription",
    "Topic",
    "open_database",
    "story_key",
]
