"""aiogram routers, one module per area; `create_routers` is the only place that groups them."""

from __future__ import annotations

from aiogram import Router
from aiogram.utils.callback_answer import CallbackAnswerMiddleware

from bot.middlewares import ChatMiddleware, EndPromptOnCommand, ManagersOnly
from handlers import (
    admin,
    channels,
    fallback,
    feeds,
    offer,
    opml,
    quiet,
    recent,
    settings,
    start,
    subscription_buttons,
    subscriptions,
    tuning,
)


def create_routers() -> list[Router]:
    """Fresh routers for a fresh Dispatcher (an aiogram router can be attached only once).

    Order matters: commands first, then the /sub prompt, then the private-chat offer that
    takes any other text, then the fallback for unknown commands and stale buttons. Handlers
    flagged `MANAGE` pass the admin rule in `ManagersOnly`, registered after the callback
    answerer whose answer it fills in.
    """
    root = Router(name="handlers")
    root.message.outer_middleware(ChatMiddleware())
    root.message.outer_middleware(EndPromptOnCommand())
    root.callback_query.outer_middleware(ChatMiddleware())
    root.callback_query.middleware(CallbackAnswerMiddleware())
    root.message.middleware(ManagersOnly())
    root.callback_query.middleware(ManagersOnly())
    root.include_routers(
        start.create_router(),
        subscriptions.create_router(),
        subscription_buttons.create_router(),
        channels.create_router(),
        tuning.create_router(),
        recent.create_router(),
        feeds.create_router(),
        opml.create_router(),
        settings.create_router(),
        quiet.create_router(),
        admin.create_router(),
        offer.create_router(),
        fallback.create_router(),
    )
    return [root]
