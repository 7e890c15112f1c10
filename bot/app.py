"""Wiring: the one place that builds the Bot and the Dispatcher around the services."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import MemoryStorage

from bot.config import Settings
from bot.delivery.budget import SendBudget
from bot.delivery.limits import DeliveryLimits
from bot.delivery.throttle import BudgetMiddleware
from bot.middlewares import ChatOrderMiddleware
from bot.services import Services
from bot.session import BotApiSession
from handlers import create_routers

__all__ = ["build_bot", "build_budget", "build_dispatcher"]


def build_budget(settings: Settings) -> SendBudget:
    """The one message budget: command replies and the delivery worker's alerts share it."""
    return SendBudget(DeliveryLimits(rate=settings.delivery_rate))


def build_bot(settings: Settings, budget: SendBudget | None = None) -> Bot:
    """A Bot whose every request goes through `budget` (a fresh one if not given)."""
    session = BotApiSession(settings.telegram_api_url)
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
    dp = Dispatcher(storage=MemoryStorage())
    dp.update.outer_middleware(ChatOrderMiddleware())
    dp.workflow_data.update(services.as_handler_data())
    dp.include_routers(*create_routers())
    return dp
