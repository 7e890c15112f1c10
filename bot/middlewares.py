"""Per-update work every handler relies on: the chat is known, and texts are in its language.

The chat a handler acts on (`chat_record`) is the chat the update came from, except in a
private chat whose user picked a channel to configure (/chat): then it is that channel, and
replies still go to the private chat (`home_chat`). In a forum group, `topic` is the topic the
update came from (0: General, or no forum).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.flags import get_flag
from aiogram.enums import ChatType
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject, User
from aiogram.types import Chat as TgChat
from aiogram.utils.callback_answer import CallbackAnswer

from bot.access import event_may_manage
from bot.clock import Clock
from bot.config import Settings
from bot.destinations.guard import target_refusal
from bot.i18n import Texts, language_for, texts
from bot.topics import topic_of
from bot.views.targets import chat_name
from storage import Chat, ChatKind, Repository

# Handler flag: the handler changes or reveals the chat's setup, so in a group only its
# administrators reach it (`router.message.register(h, ..., flags={MANAGE: True})`).
MANAGE = "manage"
# Handler flag: the handler is about the private chat itself even while its user configures a
# channel from it (the /chat picker), so the channel's rights are not asked for.
HOME = "home"


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
        # A channel comes back only when it makes the bot an administrator again
        # (handlers/channels.py): a reader's button press on an old alert is no such sign.
        revives = chat.type != ChatType.CHANNEL
        if record is None or (
            (revives or record.active)
            and (not record.active or (record.type, record.title) != (chat.type, title))
        ):
            record = await repo.chats.upsert(
                chat.id,
                type=ChatKind(chat.type),
                title=title,
                language=language_for(user.language_code if user else None),
                timezone=settings.default_timezone,
                now=clock(),
            )
        message = event.message if isinstance(event, CallbackQuery) else event
        topic = topic_of(message if isinstance(message, Message) else None)
        if topic and isinstance(event, Message) and await _topic_is_gone(repo, chat.id, topic):
            await repo.topics.reopened(chat.id, topic)  # someone wrote there: it is back
        data["topic"] = topic
        if chat.type == ChatType.PRIVATE:
            data["home_chat"] = record
            if user is not None:
                record = await _target(repo, user.id) or record
        data["chat_record"] = record
        data["tr"] = texts(record.language)
        return await handler(event, data)


async def _topic_is_gone(repo: Repository, chat_id: int, topic: int) -> bool:
    known = await repo.topics.get(chat_id, topic)
    return known is not None and known.gone


async def _target(repo: Repository, user_id: int) -> Chat | None:
    """The channel this user configures from their private chat, while it is active."""
    target = await repo.targets.target(user_id)
    return target if target is not None and target.active else None


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

    In a channel every button obeys the rule (whatever the bot does there is posted for all
    its readers). A change made to a channel from a private chat is checked with Telegram each
    time: the user must still administer the channel and the bot still be able to post in it
    (`bot.access.target_refusal`).
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        bot: Bot = data["bot"]
        target: Chat = data["chat_record"]
        home: Chat | None = data.get("home_chat")
        if home is not None and target.id != home.id and not get_flag(data, HOME):
            if not get_flag(data, MANAGE):
                return await handler(event, data)
            user: User | None = data.get("event_from_user")
            user_id = user.id if user is not None else home.id
            refusal = await target_refusal(bot, target, user_id, data["repo"], data["clock"]())
            if refusal is None:
                return await handler(event, data)
            tr = texts(home.language)
            return await _refuse(event, data, refusal, tr, channel=chat_name(target, tr))
        chat: TgChat | None = data.get("event_chat")
        in_channel = chat is not None and chat.type == ChatType.CHANNEL
        if not get_flag(data, MANAGE) and not in_channel:
            return await handler(event, data)
        if await event_may_manage(event, bot):
            return await handler(event, data)
        if isinstance(event, CallbackQuery):
            key = "cb.channel_admins" if in_channel else "cb.not_admin"
            return await _refuse(event, data, key, data["tr"])
        return await _refuse(event, data, "admin.only", data["tr"])


async def _refuse(
    event: TelegramObject, data: dict[str, Any], key: str, tr: Texts, **params: object
) -> None:
    """A refused button press is told in its toast; a refused command in a reply."""
    if isinstance(event, CallbackQuery):
        answer: CallbackAnswer | None = data.get("callback_answer")
        if answer is not None:
            answer.text = tr.plain(key, **params)
    elif isinstance(event, Message):
        await event.reply(tr(key, **params))


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
