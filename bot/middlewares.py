"""Per-update work every handler relies on: the chat is known, and texts are in its language."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.flags import get_flag
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.types import Chat as TgChat
from aiogram.utils.callback_answer import CallbackAnswer

from bot.access import event_may_manage
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Texts, language_for, texts
from storage import ChatKind, Repository

# Handler flag: the handler changes or reveals the chat's setup, so in a group only its
# administrators reach it (`router.message.register(h, ..., flags={MANAGE: True})`).
MANAGE = "manage"


class ChatMiddleware(BaseMiddleware):
    """Registers the chat on every update and hands handlers `chat_record` and `tr`.

    A chat seen for the first time gets the writer's Telegram language; after that the language
    is the chat's own (/settings). A chat that had gone inactive (blocked us, kicked us) becomes
    active again as soon as it writes: it evidently hears us again. The repository, clock and
    settings come from the dispatcher's workflow data, so this holds no state of its own.
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat: TgChat | None = data.get("event_chat")
        user: User | None = data.get("event_from_user")
        if chat is None:
            return await handler(event, data)
        repo: Repository = data["repo"]
        clock: Clock = data["clock"]
        settings: Settings = data["settings"]
        title = chat.title or chat.full_name or None
        record = await repo.chats.get(chat.id)
        # Write only when something changed: every write waits for the one writer lock, which
        # a big feed batch may hold, and a command should not wait for that.
        if (
            record is None
            or not record.active
            or (record.type, record.title)
            != (
                chat.type,
                title,
            )
        ):
            record = await repo.chats.upsert(
                chat.id,
                type=ChatKind(chat.type),
                title=title,
                language=language_for(user.language_code if user else None),
                timezone=settings.default_timezone,
                now=clock(),
            )
        data["chat_record"] = record
        data["tr"] = texts(record.language)
        return await handler(event, data)


class ChatOrderMiddleware(BaseMiddleware):
    """Handles one chat's updates one at a time, in the order Telegram sent them.

    aiogram runs every update as its own task, so `/sub Лавров` followed at once by `/list`
    could be answered in the other order, or two `/sub` could race past the per-chat limit.
    Registered first on the dispatcher's update observer, this takes a per-chat lock before
    anything else can suspend, and asyncio locks wake waiters first-in, first-out. Other chats
    are not held up. Locks are dropped once nobody holds or waits for them.
    """

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat: TgChat | None = data.get("event_chat")
        if chat is None:
            return await handler(event, data)
        lock, users = self._locks.get(chat.id, (asyncio.Lock(), 0))
        self._locks[chat.id] = (lock, users + 1)
        try:
            async with lock:
                return await handler(event, data)
        finally:
            lock, users = self._locks[chat.id]
            if users == 1:
                del self._locks[chat.id]
            else:
                self._locks[chat.id] = (lock, users - 1)


class ManagersOnly(BaseMiddleware):
    """The admin rule for every handler flagged `MANAGE`, kept in this one place.

    An inner middleware: it runs only once filters chose the handler, so an unflagged handler
    costs nothing and a flagged one costs one getChatMember in groups. A refused command gets a
    short reply; a refused button press gets the answer the user sees as a toast (registered
    after `CallbackAnswerMiddleware`, which provides `callback_answer`).
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not get_flag(data, MANAGE):
            return await handler(event, data)
        bot: Bot = data["bot"]
        if await event_may_manage(event, bot):
            return await handler(event, data)
        tr: Texts = data["tr"]
        if isinstance(event, CallbackQuery):
            answer: CallbackAnswer | None = data.get("callback_answer")
            if answer is not None:
                answer.text = tr.plain("cb.not_admin")
        elif isinstance(event, Message):
            await event.reply(tr("admin.only"))
        return None


class EndPromptOnCommand(BaseMiddleware):
    """A command ends whatever the bot was waiting for (the /sub prompt's answer).

    Otherwise `/sub` then `/list` would leave the prompt open, and a plain word written minutes
    later would be silently subscribed. The ended state goes to handlers as `ended_prompt`, so
    /cancel can still say that it cancelled something.
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        state: FSMContext | None = data.get("state")
        if isinstance(event, Message) and state is not None and (event.text or "").startswith("/"):
            ended = await state.get_state()
            if ended is not None:
                await state.set_state(None)
                data["ended_prompt"] = ended
        return await handler(event, data)
