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

from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.matching import Analyzer
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


def build_bot(settings: Settings) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
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
        clock=services.clock,
        services=services,
    )
    dp.include_routers(*create_routers(services.settings))
    return dp
