"""/pause, /resume, /settings (language, time zone, alert mode) and /timezone ZONE."""

from __future__ import annotations

from datetime import datetime

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.alerts.html import clean_line
from bot.callbacks import SettingsAction, SettingsCb
from bot.clock import Clock
from bot.i18n import LANGUAGES, Html, Texts, texts
from bot.keyboards import ALERT_MODES, TIME_ZONES, settings_keyboard, timezones_keyboard
from bot.middlewares import MANAGE
from bot.timezones import city_names, parse_zone, zone_label
from handlers.common import clip, edit, editable
from storage import Chat, Repository

_MANAGE = {MANAGE: True}


def render_settings(chat: Chat, now: datetime, tr: Texts) -> Html:
    mode = (
        tr.plain(f"mode.{chat.alert_mode}")
        if tr.has(f"mode.{chat.alert_mode}")
        else (chat.alert_mode)
    )
    return tr(
        "settings.text",
        language=tr.plain(f"lang.{tr.lang}"),
        timezone=zone_label(chat.timezone, now, tr),
        mode=mode,
    )


def _is_settings_panel(message: Message) -> bool:
    """A /settings message (or its zone list), as opposed to an alert or a list."""
    markup = message.reply_markup
    prefix = SettingsCb.__prefix__ + SettingsCb.__separator__
    return markup is not None and any(
        (b.callback_data or "").startswith(prefix) for row in markup.inline_keyboard for b in row
    )


async def pause_command(
    message: Message, repo: Repository, clock: Clock, chat_record: Chat, tr: Texts
) -> None:
    if chat_record.paused:
        await message.answer(tr("pause.already"))
        return
    await repo.chats.set_paused(chat_record.id, True, clock())
    await message.answer(tr("pause.done"))


async def resume_command(
    message: Message, repo: Repository, clock: Clock, chat_record: Chat, tr: Texts
) -> None:
    if not chat_record.paused:
        await message.answer(tr("resume.already"))
        return
    await repo.chats.set_paused(chat_record.id, False, clock())
    await message.answer(tr("resume.done"))


async def settings_command(message: Message, clock: Clock, chat_record: Chat, tr: Texts) -> None:
    await message.answer(
        render_settings(chat_record, clock(), tr),
        reply_markup=settings_keyboard(tr, chat_record.alert_mode),
    )


async def timezone_command(
    message: Message,
    command: CommandObject,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """`/timezone Asia/Almaty` (or «UTC+5», «Москва»); without a zone, the list of usual ones."""
    now = clock()
    typed = (command.args or "").strip()
    if not typed:
        text = Html(tr("settings.pick_zone") + "\n" + tr("settings.type_zone"))
        await message.answer(text, reply_markup=timezones_keyboard(tr, now, chat_record.timezone))
        return
    cities = city_names(texts("ru")) + city_names(texts("en"))
    zone = parse_zone(typed, cities)
    if zone is None:
        await message.answer(tr("settings.bad_zone", zone=clip(clean_line(typed), 60)))
        return
    await repo.chats.set_timezone(chat_record.id, zone, now)
    await message.answer(tr("settings.zone_saved", timezone=zone_label(zone, now, tr)))


async def settings_button(
    query: CallbackQuery,
    callback_data: SettingsCb,
    callback_answer: CallbackAnswer,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    message = editable(query)
    if message is None or not _is_settings_panel(message):
        callback_answer.text = tr.plain("cb.stale")
        return
    now = clock()
    action, value = callback_data.action, callback_data.value
    if action == SettingsAction.TIMEZONE and not value:
        text = Html(tr("settings.pick_zone") + "\n" + tr("settings.type_zone"))
        await edit(message, text, timezones_keyboard(tr, now, chat_record.timezone))
        return
    if action != SettingsAction.MENU:
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
    await edit(message, render_settings(chat, now, tr), settings_keyboard(tr, chat.alert_mode))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pause_command, Command("pause"), flags=_MANAGE)
    router.message.register(resume_command, Command("resume"), flags=_MANAGE)
    router.message.register(settings_command, Command("settings"))
    router.message.register(timezone_command, Command("timezone", "tz"), flags=_MANAGE)
    # Every settings button, even the one that only opens the zone list, edits the message
    # it is under: in a group, only administrators may press them.
    router.callback_query.register(settings_button, SettingsCb.filter(), flags=_MANAGE)
    return router
