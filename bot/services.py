"""The long-lived objects of one running bot, built once and handed out as typed parameters.

Handlers get each field by its name (aiogram passes a handler just the keyword arguments it
names, from the dispatcher's workflow data); the background tasks get the same objects.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, fields
from typing import Any

from bot.chatfeeds import ChatFeeds, FeedChecks
from bot.clock import Clock, utc_now, wait_for_event
from bot.config import Settings
from bot.matching import Analyzer
from bot.matching.aliases.table import load_aliases
from bot.matching.offload import SlicedAnalysis
from bot.metrics import Metrics
from bot.subscriptions import SubscriptionService
from storage import Repository

log = logging.getLogger(__name__)

__all__ = ["FetchNow", "Services"]


class FetchNow:
    """The feed poller's "look at the schedule now", asked for by a chat that added a feed.

    Created with the services and handed to the poller when it starts, so handlers hold the
    one real object from the first update on.
    """

    def __init__(self) -> None:
        self._asked = asyncio.Event()

    def __call__(self) -> None:
        self._asked.set()

    def clear(self) -> None:
        self._asked.clear()

    async def wait(self, at_most: float) -> None:
        """Until asked, or `at_most` seconds."""
        await wait_for_event(self._asked, at_most)


@dataclass
class Services:
    settings: Settings
    repo: Repository
    analyzer: Analyzer
    subscription_service: SubscriptionService
    clock: Clock = utc_now
    fetch_now: FetchNow = field(default_factory=FetchNow)
    analysis: SlicedAnalysis = field(default_factory=SlicedAnalysis)  # big texts, in slices
    feed_checks: FeedChecks = field(default_factory=FeedChecks)  # /addfeed bounds and pool
    metrics: Metrics = field(default_factory=Metrics)  # this bot's own registry (/metrics)
    chat_feeds: ChatFeeds = field(init=False)  # what chats add, check and switch

    def __post_init__(self) -> None:
        self.chat_feeds = ChatFeeds.from_settings(
            self.repo, self.settings, self.clock, self.feed_checks
        )

    @classmethod
    async def create(
        cls, settings: Settings, repo: Repository, clock: Clock = utc_now
    ) -> Services:
        """Subscriptions loaded into the matcher, the operator's feeds in the database."""
        analyzer = Analyzer(aliases=load_aliases(settings.aliases_file))
        subscription_service = SubscriptionService(
            repo, analyzer, max_per_chat=settings.max_subscriptions_per_chat, clock=clock
        )
        loaded = await subscription_service.load()
        await repo.feeds.sync_defaults(settings.feeds, clock())
        log.info("loaded %d subscriptions, %d default feeds", loaded, len(settings.feeds))
        return cls(settings, repo, analyzer, subscription_service, clock)

    def as_handler_data(self) -> dict[str, Any]:
        """Every field under its own name: the keys handlers' parameters are matched against."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
