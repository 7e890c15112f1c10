"""Delivery: the durable queue of alerts drained into Telegram under its limits."""

from bot.delivery.budget import Permit, Priority, SendBudget
from bot.delivery.compose import Composed, KeyboardFactory, compose
from bot.delivery.config import Backoff, DeliveryConfig
from bot.delivery.limits import DeliveryLimits, RateLimiter
from bot.delivery.outcome import Action, Outcome, classify
from bot.delivery.throttle import BudgetMiddleware
from bot.delivery.worker import DeliveryWorker

__all__ = [
    "Action",
    "Backoff",
    "BudgetMiddleware",
    "Composed",
    "DeliveryConfig",
    "DeliveryLimits",
    "DeliveryWorker",
    "KeyboardFactory",
    "Outcome",
    "Permit",
    "Priority",
    "RateLimiter",
    "SendBudget",
    "classify",
    "compose",
]
