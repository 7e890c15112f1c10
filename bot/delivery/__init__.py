"""Delivery: the durable queue of alerts drained into Telegram under its limits."""

from bot.delivery.compose import Composed, KeyboardFactory, compose, highlights_for
from bot.delivery.limits import DeliveryLimits, RateLimiter
from bot.delivery.outcome import Action, Outcome, classify
from bot.delivery.worker import Backoff, DeliveryWorker

__all__ = [
    "Action",
    "Backoff",
    "Composed",
    "DeliveryLimits",
    "DeliveryWorker",
    "KeyboardFactory",
    "Outcome",
    "RateLimiter",
    "classify",
    "compose",
    "highlights_for",
]
