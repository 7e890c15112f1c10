"""Names handlers/feeds.py and handlers/recent.py still import from here, and the admin
preambles of handlers/feeds.py.

Each name has its home elsewhere: message edits in handlers/buttons.py, sizes and cuts in
bot/views/fit.py, time and links in bot/views/parts.py, query texts in bot/views/query.py,
the admin rule in bot/access.py (applied to a handler by the `MANAGE` flag).
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import CallbackQuery, Message

from bot.access import event_may_manage, may_manage
from bot.i18n import Texts
from bot.views.fit import MAX_REPLY_ENTITIES, MAX_REPLY_UTF16, clip, fits, pack
from bot.views.parts import link, local_time
from bot.views.query import describe_query, query_error
from handlers.buttons import edit, editable

__all__ = [
    "MAX_REPLY_ENTITIES",
    "MAX_REPLY_UTF16",
    "callback_may_manage",
    "clip",
    "describe_query",
    "edit",
    "editable",
    "fits",
    "link",
    "local_time",
    "may_manage",
    "message_may_manage",
    "pack",
    "query_error",
]


async def message_may_manage(message: Message, bot: Bot, tr: Texts) -> bool:
    """True if the sender may change this chat's setup; otherwise replies with a short refusal.

    The `MANAGE` handler flag (bot/middlewares.py) applies the same rule and refusal.
    """
    allowed = await event_may_manage(message, bot)
    if not allowed:
        await message.reply(tr("admin.only"))
    return allowed


async def callback_may_manage(query: CallbackQuery, bot: Bot) -> bool:
    return await event_may_manage(query, bot)
