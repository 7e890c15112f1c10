"""Who may change a chat's setup: anyone in a private chat, administrators in a group."""

from __future__ import annotations

from aiogram import Bot
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message, TelegramObject

_MANAGERS = frozenset({ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR})


async def may_manage(
    bot: Bot, chat_id: int, chat_type: str, user_id: int | None, sender_chat_id: int | None = None
) -> bool:
    """Anyone in a private chat; in a group, its administrators (anonymous ones included)."""
    if chat_type == ChatType.PRIVATE:
        return True
    if sender_chat_id is not None and sender_chat_id == chat_id:
        return True  # an anonymous administrator posts as the group itself
    if user_id is None:
        return False
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramAPIError:
        return False
    return member.status in _MANAGERS


async def event_may_manage(event: TelegramObject, bot: Bot) -> bool:
    """The rule applied to a message or a button press; anything else is refused."""
    if isinstance(event, Message):
        return await may_manage(
            bot,
            event.chat.id,
            event.chat.type,
            event.from_user.id if event.from_user else None,
            event.sender_chat.id if event.sender_chat else None,
        )
    if isinstance(event, CallbackQuery) and event.message is not None:
        chat = event.message.chat
        return await may_manage(bot, chat.id, chat.type, event.from_user.id)
    return False
