"""aiogram routers, one module per area; `create_routers` is the only place that groups them."""

from __future__ import annotations

from aiogram import Router

from bot.config import Settings


def create_routers(settings: Settings) -> list[Router]:
    """Fresh routers for a fresh Dispatcher (an aiogram router can be attached only once)."""
    return []
