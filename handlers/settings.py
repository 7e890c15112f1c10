"""/pause, /resume and /settings (language, time zone, alert mode)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import SettingsAction, SettingsCb
from bot.clock import Clock
from bot.i18n import LANGUAGES, Html, Texts, texts
from bot.keyboards import ALERT_MODES, TIME_ZONES, settings_keyboard, timezones_keyboard
from handlers.common import callback_may_manage, edit, editable, message_may_manage
from storage import Chat, Repository


def render_settings(chat: Chat, tr: Texts) -> Html:
    mode = tr.plain(f"mode.{chat.alert_mode}") if tr.has(f"mode.{chat.alert_mode}") else (
        chat.alert_mode
    )
    return tr(
        "settings.text",
        language=tr.plain(f"lang.{tr.lang}"),
        timezone=chat.timezone,
        mode=mode,
    )


async def pause_command(
    message: Message, bot: Bot, repo: Repository, clock: Clock, chat_record: Chat, tr: Texts
) -> None:
    if not await message_may_manage(message, bot, tr):
        return
    if chat_record.paused:
        await message.answer(tr("pause.already"))
        return
    await repo.chats.set_paused(chat_record.id, True, clock())
    await message.answer(tr("pause.done"))


async def resume_command(
    message: Message, bot: Bot, repo: Repository, clock: Clock, chat_record: Chat, tr: Texts
) -> None:
    if not await message_may_manage(message, bot, tr):
        return
    if not chat_record.paused:
        await message.answer(tr("resume.already"))
        return
    await repo.chats.set_paused(chat_record.id, False, clock())
    await message.answer(tr("resume.done"))


async def settings_command(message: Message, chat_record: Chat, tr: Texts) -> None:
    await message.answer(render_settings(chat_record, tr), reply_markup=settings_keyboard(tr))


async def settings_button(
    query: CallbackQuery,
    callback_data: SettingsCb,
    callback_answer: CallbackAnswer,
    bot: Bot,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    message = editable(query)
    if message is None:
        callback_answer.text = tr.plain("cb.stale")
        return
    action, value = callback_data.action, callback_data.value
    if action == SettingsAction.TIMEZONE and not value:
        await edit(message, tr("settings.pick_zone"), timezones_keyboard(tr))
        return
    if action != SettingsAction.MENU:
        if not await callback_may_manage(query, bot):
            callback_answer.text = tr.plain("cb.not_admin")
            return
        now = clock()
        if action == SettingsAction.LANGUAGE and value in LANGUAGES:
            await repo.chats.set_language(chat_record.id, value, now)
            tr = texts(value)
        elif action == SettingsAction.TIMEZONE and value in TIME_ZONES:
            await repo.chats.set_timezone(chat_record.id, value, now)
        elif action == SettingsAction.MODE and value in ALERT_MODES:
            await repo.chats.set_alert_mode(chat_record.id, value, now)
        else:
            callback_answer.text = tr.plain("cb.stale")
            return
        callback_answer.text = tr.plain("settings.saved")
    chat = await repo.chats.get(chat_record.id) or chat_record
    await edit(message, render_settings(chat, tr), settings_keyboard(tr))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pause_command, Command("pause"))
    router.message.register(resume_command, Command("resume"))
    router.message.register(settings_command, Command("settings"))
    router.callback_query.register(settings_button, SettingsCb.filter())
    return router
