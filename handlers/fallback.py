"""Last resort: a command nobody handles, a button nothing else recognises.

An unknown command gets a pointer to /help: in a private chat always, in a group only when
written to this bot by name (`/foo@ourbot`), since a bare `/foo` there may be meant for
another bot of the group.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.i18n import Texts
from handlers.common import clip


async def unknown_command(message: Message, bot: Bot, tr: Texts) -> None:
    command = (message.text or "").split(maxsplit=1)[0]
    name, _, mention = command.partition("@")
    if message.chat.type != ChatType.PRIVATE:
        me = await bot.me()
        if not mention or mention.casefold() != (me.username or "").casefold():
            return
    await message.answer(tr("unknown.command", command=clip(name, 40)))


async def unknown_button(query: CallbackQuery, callback_answer: CallbackAnswer, tr: Texts) -> None:
    callback_answer.text = tr.plain("cb.stale")


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_command, F.text.startswith("/"))
    router.callback_query.register(unknown_button)
    return router
