"""SQLite persistence: schema, migrations and the only place SQL is written."""

from storage.database import Database
from storage.guard import DatabaseInUseError, DatabaseOpenError
from storage.migrations import SchemaTooNewError
from storage.models import (
    Chat,
    ChatFeed,
    Delivery,
    DeliveryStatus,
    Feed,
    Item,
    NewDelivery,
    NewItem,
    Subscription,
)
from storage.repository import Repository
from storage.subscriptions import DuplicateSubscriptionError

__all__ = [
    "Chat",
    "ChatFeed",
    "Database",
    "DatabaseInUseError",
    "DatabaseOpenError",
    "Delivery",
    "DeliveryStatus",
    "DuplicateSubscriptionError",
    "Feed",
    "Item",
    "NewDelivery",
    "NewItem",
    "Repository",
    "SchemaTooNewError",
    "Subscription",
]
