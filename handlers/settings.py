"""/pause, /resume, /settings (language, time zone, alert mode, story grouping, delivery
schedule, quiet hours off), /timezone ZONE.

Every settings button edits the message it is under, even the one that only opens the zone
list: in a group only administrators may press them (`MANAGE`), and only on a message that
shows them (`OnMessage(shown=True)`).
"""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import SettingsAction, SettingsCb
from bot.clock import Clock
from bot.config import Settings
from bot.digests.timing import release_if_due
from bot.i18n import LANGUAGES, Texts, texts
from bot.keyboards import (
    ALERT_MODES,
    GROUPING,
    SCHEDULES,
    TIME_ZONES,
    settings_keyboard,
    timezones_keyboard,
)
from bot.middlewares import MANAGE
from bot.timezones import city_names, parse_zone, zone_label
from bot.views.settings import render_bad_zone, render_settings, render_zone_prompt
from handlers.buttons import OnMessage, edit
from storage import AlertMode, Chat, DeliverySchedule, Language, Repository

_MANAGE = {MANAGE: True}


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


def panel_keyboard(chat: Chat, tr: Texts) -> InlineKeyboardMarkup:
    return settings_keyboard(
        tr,
        chat.alert_mode,
        chat.group_stories,
        schedule=chat.delivery_schedule,
        quiet=chat.quiet_from is not None,
    )


async def settings_command(message: Message, clock: Clock, chat_record: Chat, tr: Texts) -> None:
    await message.answer(
        render_settings(chat_record, clock(), tr), reply_markup=panel_keyboard(chat_record, tr)
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
        markup = timezones_keyboard(tr, now, chat_record.timezone)
        await message.answer(render_zone_prompt(tr), reply_markup=markup)
        return
    zone = parse_zone(typed, city_names(texts("ru")) + city_names(texts("en")))
    if zone is None:
        await message.answer(render_bad_zone(typed, tr))
        return
    await repo.chats.set_timezone(chat_record.id, zone, now)
    await message.answer(tr("settings.zone_saved", timezone=zone_label(zone, now, tr)))


async def _show_panel(
    message: Message, repo: Repository, now: datetime, chat_record: Chat, tr: Texts
) -> None:
    """The panel as the chat's settings are now, in place of the message pressed."""
    chat = await repo.chats.get(chat_record.id) or chat_record
    await edit(message, render_settings(chat, now, tr), panel_keyboard(chat, tr))


async def menu_button(
    query: CallbackQuery,
    message: Message,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    await _show_panel(message, repo, clock(), chat_record, tr)


async def zones_button(
    query: CallbackQuery, message: Message, clock: Clock, chat_record: Chat, tr: Texts
) -> None:
    await edit(
        message, render_zone_prompt(tr), timezones_keyboard(tr, clock(), chat_record.timezone)
    )


async def language_button(
    query: CallbackQuery,
    callback_data: SettingsCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
) -> None:
    now = clock()
    await repo.chats.set_language(chat_record.id, Language(callback_data.value), now)
    tr = texts(callback_data.value)
    callback_answer.text = tr.plain("settings.saved")
    await _show_panel(message, repo, now, chat_record, tr)


async def zone_button(
    query: CallbackQuery,
    callback_data: SettingsCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    now = clock()
    await repo.chats.set_timezone(chat_record.id, callback_data.value, now)
    callback_answer.text = tr.plain("settings.saved")
    await _show_panel(message, repo, now, chat_record, tr)


async def mode_button(
    query: CallbackQuery,
    callback_data: SettingsCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    now = clock()
    await repo.chats.set_alert_mode(chat_record.id, AlertMode(callback_data.value), now)
    callback_answer.text = tr.plain("settings.saved")
    await _show_panel(message, repo, now, chat_record, tr)


async def stories_button(
    query: CallbackQuery,
    callback_data: SettingsCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """Story grouping on (one alert per story) or off (every item alerts on its own)."""
    now = clock()
    await repo.chats.set_group_stories(chat_record.id, GROUPING[callback_data.value], now)
    callback_answer.text = tr.plain("settings.saved")
    await _show_panel(message, repo, now, chat_record, tr)


async def schedule_button(
    query: CallbackQuery,
    callback_data: SettingsCb,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    clock: Clock,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """At once, hourly or daily digest; what is held goes now if the new choice sends now."""
    now = clock()
    await repo.chats.set_schedule(chat_record.id, DeliverySchedule(callback_data.value), now)
    await release_if_due(repo, chat_record.id, now, settings.default_timezone)
    callback_answer.text = tr.plain("settings.saved")
    await _show_panel(message, repo, now, chat_record, tr)


async def quiet_off_button(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    message: Message,
    repo: Repository,
    clock: Clock,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    now = clock()
    await repo.chats.set_quiet_hours(chat_record.id, None, now)
    await release_if_due(repo, chat_record.id, now, settings.default_timezone)
    callback_answer.text = tr.plain("settings.saved")
    await _show_panel(message, repo, now, chat_record, tr)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pause_command, Command("pause"), flags=_MANAGE)
    router.message.register(resume_command, Command("resume"), flags=_MANAGE)
    router.message.register(settings_command, Command("settings"))
    router.message.register(timezone_command, Command("timezone", "tz"), flags=_MANAGE)
    on_panel = OnMessage(shown=True)
    buttons = (
        (menu_button, F.action == SettingsAction.MENU),
        (zones_button, (F.action == SettingsAction.TIMEZONE) & ~F.value),
        (zone_button, (F.action == SettingsAction.TIMEZONE) & F.value.in_(TIME_ZONES)),
        (language_button, (F.action == SettingsAction.LANGUAGE) & F.value.in_(LANGUAGES)),
        (mode_button, (F.action == SettingsAction.MODE) & F.value.in_(ALERT_MODES)),
        (stories_button, (F.action == SettingsAction.STORIES) & F.value.in_(tuple(GROUPING))),
        (schedule_button, (F.action == SettingsAction.SCHEDULE) & F.value.in_(SCHEDULES)),
        (quiet_off_button, F.action == SettingsAction.QUIET_OFF),
    )
    for handler, rule in buttons:
        router.callback_query.register(handler, SettingsCb.filter(rule), on_panel, flags=_MANAGE)
    return router
