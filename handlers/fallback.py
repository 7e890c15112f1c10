"""Last resort: a command nobody handles, a button nothing else takes.

An unknown command gets a pointer to /help: in a private chat always, in a group only when
written to this bot by name (`/foo@ourbot`), since a bare `/foo` there may be meant for
another bot of the group.

Every button press no handler took is answered here as stale: a payload of an older release,
a forged or malformed one, a value no longer offered, a message the bot cannot edit. Payloads
of buttons that configure the chat pass the admin rule first, as their working presses do, so
a group member who may not use them is told that rather than anything about the button.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import OfferCb, SettingsCb
from bot.i18n import Texts
from bot.middlewares import MANAGE
from bot.views.fit import clip

_COMMAND_UNITS = 40


async def unknown_command(message: Message, bot: Bot, tr: Texts) -> None:
    command = (message.text or "").split(maxsplit=1)[0]
    name, _, mention = command.partition("@")
    if message.chat.type != ChatType.PRIVATE:
        me = await bot.me()
        if not mention or mention.casefold() != (me.username or "").casefold():
            return
    await message.answer(tr("unknown.command", command=clip(name, _COMMAND_UNITS)))


async def stale_button(query: CallbackQuery, callback_answer: CallbackAnswer, tr: Texts) -> None:
    callback_answer.text = tr.plain("cb.stale")


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_command, F.text.startswith("/"))
    for managed in (OfferCb, SettingsCb):
        router.callback_query.register(stale_button, managed.filter(), flags={MANAGE: True})
    router.callback_query.register(stale_button)
    return router
