"""Channels as destinations: the bot made an administrator of a channel, and /chat.

A channel cannot send commands, so it is configured from the private chat of whoever manages
it. When a user makes the bot an administrator with the right to post, the bot offers, in that
user's private chat, to configure the channel from there (a user who never started the bot
cannot be written to: the channel still shows in their /chat once they do). /chat picks the
chat the private chat's commands act on (`ChatMiddleware` then hands handlers the channel).
Losing the bot's right to post (demoted, removed) stops the channel's alerts and tells its
managers.
"""

from __future__ import annotations

import logging
from datetime import datetime

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command
from aiogram.types import CallbackQuery, ChatMemberUpdated, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import TargetCb
from bot.clock import Clock
from bot.config import Settings
from bot.destinations.guard import BOT_LOST, deactivate_channel
from bot.destinations.rights import bot_may_post, channel_rights
from bot.i18n import language_for, texts
from bot.keyboards import channel_offer_keyboard, target_keyboard
from bot.middlewares import HOME
from bot.views.targets import chat_name, render_picker
from handlers.buttons import edit, editable
from storage import Chat, ChatKind, Repository

log = logging.getLogger(__name__)

_HOME = {HOME: True}


async def bot_membership(
    update: ChatMemberUpdated, bot: Bot, repo: Repository, clock: Clock, settings: Settings
) -> None:
    """The bot's own status in a channel changed (`my_chat_member`)."""
    now = clock()
    user = update.from_user
    known = await repo.chats.get(update.chat.id)
    if bot_may_post(update.new_chat_member):
        channel = await repo.chats.upsert(
            update.chat.id,
            type=ChatKind.CHANNEL,
            title=update.chat.title,
            language=language_for(user.language_code),
            timezone=settings.default_timezone,
            now=now,
        )
        await repo.targets.add_manager(channel.id, user.id, now)
        await _remember_admins(bot, repo, channel.id, now)
        home = await repo.chats.get(user.id)
        tr = texts(home.language if home else language_for(user.language_code))
        offer = tr("channel.offer", channel=chat_name(channel, tr))
        await _write(bot, user.id, offer, channel_offer_keyboard(channel, tr))
        return
    if known is not None and known.active:
        await deactivate_channel(bot, repo, known, BOT_LOST, now)
    if update.new_chat_member.status == "administrator":  # made admin, but may not post
        home = await repo.chats.get(user.id)
        tr = texts(home.language if home else language_for(user.language_code))
        title = update.chat.title or str(update.chat.id)
        await _write(bot, user.id, tr("channel.offer_no_post", channel=title), None)


async def _remember_admins(bot: Bot, repo: Repository, channel_id: int, now: datetime) -> None:
    """Every human administrator of the channel may pick it in /chat (checked again then)."""
    try:
        admins = await bot.get_chat_administrators(channel_id)
    except TelegramAPIError as exc:
        log.info("channel %d: administrators unknown: %s", channel_id, exc)
        return
    for admin in admins:
        if not admin.user.is_bot:
            await repo.targets.add_manager(channel_id, admin.user.id, now)


async def _write(bot: Bot, user_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """A private message the user may never have asked for: if they never started the bot
    (or blocked it), Telegram refuses, and nothing else happens."""
    try:
        await bot.send_message(user_id, text, reply_markup=markup)
    except TelegramAPIError as exc:
        log.info("cannot write to user %d about a channel: %s", user_id, exc)


async def chat_command(
    message: Message, repo: Repository, chat_record: Chat, home_chat: Chat | None = None
) -> None:
    """/chat: which chat this private chat's commands act on, and the others to pick."""
    if home_chat is None or message.from_user is None:
        await message.answer(texts(chat_record.language)("chat.only_private"))
        return
    tr = texts(home_chat.language)
    channels = await repo.targets.managed_by(message.from_user.id)
    markup = target_keyboard(channels, chat_record.id, home_chat.id, tr)
    await message.answer(render_picker(chat_record, channels, tr), reply_markup=markup)


async def target_button(
    query: CallbackQuery,
    callback_data: TargetCb,
    callback_answer: CallbackAnswer,
    bot: Bot,
    repo: Repository,
    clock: Clock,
    home_chat: Chat,
) -> None:
    """A chat picked in /chat or in the offer: checked with Telegram, then made the target."""
    tr = texts(home_chat.language)
    user_id = query.from_user.id
    now = clock()
    message = editable(query)
    if callback_data.chat_id == 0:
        await repo.targets.set_target(user_id, None, now)
        callback_answer.text = tr.plain("cb.target_picked")
        await _redraw(message, repo, home_chat, home_chat, user_id)
        if message is not None:
            await message.answer(tr("chat.picked_private"))
        return
    channel = await repo.chats.get(callback_data.chat_id)
    if channel is None or channel.type != ChatKind.CHANNEL or not channel.active:
        callback_answer.text = tr.plain("cb.target_stale")
        return
    rights = await channel_rights(bot, channel.id, user_id)
    name = chat_name(channel, tr)
    if not rights.ok:
        if rights.known and not rights.bot_posts:
            await deactivate_channel(bot, repo, channel, BOT_LOST, now, told=user_id)
            key = "rights.bot_lost"
        else:
            key = "rights.user_lost" if rights.known else "rights.unknown"
        callback_answer.text = tr.plain("cb.target_stale")
        if message is not None:
            await message.answer(tr(key, channel=name))
        return
    await repo.targets.add_manager(channel.id, user_id, now)
    await repo.targets.set_target(user_id, channel.id, now)
    callback_answer.text = tr.plain("cb.target_picked")
    await _redraw(message, repo, channel, home_chat, user_id)
    if message is not None:
        await message.answer(tr("chat.picked", channel=name))


async def _redraw(
    message: Message | None, repo: Repository, current: Chat, home: Chat, user_id: int
) -> None:
    """The /chat picker under the press shows the new choice (an offer is left as it is)."""
    home_button = TargetCb(chat_id=0).pack()
    rows = message.reply_markup.inline_keyboard if message and message.reply_markup else []
    if message is None or not any(b.callback_data == home_button for row in rows for b in row):
        return
    tr = texts(home.language)
    channels = await repo.targets.managed_by(user_id)
    markup = target_keyboard(channels, current.id, home.id, tr)
    await edit(message, render_picker(current, channels, tr), markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.my_chat_member.register(bot_membership, F.chat.type == ChatType.CHANNEL)
    router.message.register(chat_command, Command("chat"), flags=_HOME)
    in_private = F.message.chat.type == ChatType.PRIVATE
    router.callback_query.register(target_button, TargetCb.filter(), in_private, flags=_HOME)
    return router
