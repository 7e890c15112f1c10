"""Wiring: the one place that builds the Bot, the Dispatcher and the long-lived services."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import MemoryStorage

from bot.chatfeeds import FeedChecks
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.delivery.budget import SendBudget
from bot.delivery.limits import DeliveryLimits
from bot.delivery.throttle import BudgetMiddleware
from bot.matching import Analyzer
from bot.matching.offload import SlicedAnalysis
from bot.middlewares import ChatOrderMiddleware
from bot.subscriptions import SubscriptionService
from storage import Repository

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Long-lived objects handed to handlers as workflow data and to background workers."""

    settings: Settings
    repo: Repository
    analyzer: Analyzer
    subscriptions: SubscriptionService
    clock: Clock = field(default=utc_now)
    poke_poller: Callable[[], None] = field(default=lambda: None)
    analysis: SlicedAnalysis = field(default_factory=SlicedAnalysis)  # big texts, in slices
    feed_checks: FeedChecks = field(default_factory=FeedChecks)  # /addfeed bounds and pool

    @classmethod
    async def create(
        cls, settings: Settings, repo: Repository, clock: Clock = utc_now
    ) -> Services:
        analyzer = Analyzer()
        subscriptions = SubscriptionService(
            repo, analyzer, max_per_chat=settings.max_subscriptions_per_chat
        )
        loaded = await subscriptions.load()
        await repo.feeds.sync_defaults(settings.feeds, clock())
        log.info("loaded %d subscriptions, %d default feeds", loaded, len(settings.feeds))
        return cls(settings, repo, analyzer, subscriptions, clock)


def build_budget(settings: Settings) -> SendBudget:
    """The one message budget: command replies and the delivery worker's alerts share it."""
    return SendBudget(DeliveryLimits(rate=settings.delivery_rate))


def build_bot(settings: Settings, budget: SendBudget | None = None) -> Bot:
    """A Bot whose every request goes through `budget` (a fresh one if not given)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(BudgetMiddleware(budget or build_budget(settings)))
    return Bot(
        settings.bot_token,
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML,
            link_preview_is_disabled=True,  # alerts stay compact; the link is one tap away
        ),
    )


def build_dispatcher(services: Services) -> Dispatcher:
    """A fresh Dispatcher with fresh routers: tests build one per case."""
    from handlers import create_routers

    dp = Dispatcher(storage=MemoryStorage())
    dp.update.outer_middleware(ChatOrderMiddleware())
    dp.workflow_data.update(
        settings=services.settings,
        repo=services.repo,
        analyzer=services.analyzer,
        subscriptions=services.subscriptions,
        subscription_service=services.subscriptions,
        clock=services.clock,
        services=services,
    )
    dp.include_routers(*create_routers())
    return dp
