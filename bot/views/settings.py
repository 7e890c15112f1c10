"""The /settings panel (its text and buttons) and the time-zone picker's prompt."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import SettingsAction, SettingsCb
from bot.i18n import Html, Texts
from bot.keyboards import CHECK, settings_keyboard
from bot.timezones import zone_label
from bot.views.fit import clip
from storage import Chat

__all__ = [
    "GROUPING",
    "render_bad_zone",
    "render_settings",
    "render_zone_prompt",
    "settings_markup",
]

_TYPED_ZONE_UNITS = 60

# Story grouping as its buttons carry it: one alert per story, or every item on its own.
GROUPING = {"on": True, "off": False}


def _grouping(grouped: bool) -> str:
    return "on" if grouped else "off"


def render_settings(chat: Chat, now: datetime, tr: Texts) -> Html:
    """Language, time zone (city and offset as of `now`), alert mode and story grouping."""
    key = f"mode.{chat.alert_mode}"
    return tr(
        "settings.text",
        language=tr.plain(f"lang.{tr.lang}"),
        timezone=zone_label(chat.timezone, now, tr),
        mode=tr.plain(key) if tr.has(key) else chat.alert_mode,
        stories=tr.plain(f"stories.{_grouping(chat.group_stories)}"),
    )


def settings_markup(chat: Chat, tr: Texts) -> InlineKeyboardMarkup:
    """The panel's buttons: those of `settings_keyboard`, then story grouping on and off,
    the chat's choice marked ✓ like the others."""
    current = _grouping(chat.group_stories)
    stories = [
        InlineKeyboardButton(
            text=(CHECK if value == current else "") + tr.plain(f"btn.stories_{value}"),
            callback_data=SettingsCb(action=SettingsAction.STORIES, value=value).pack(),
        )
        for value in GROUPING
    ]
    rows = settings_keyboard(tr, chat.alert_mode).inline_keyboard
    return InlineKeyboardMarkup(inline_keyboard=[*rows, stories])


def render_zone_prompt(tr: Texts) -> Html:
    return Html(tr("settings.pick_zone") + "\n" + tr("settings.type_zone"))


def render_bad_zone(typed: str, tr: Texts) -> Html:
    return tr("settings.bad_zone", zone=clip(typed, _TYPED_ZONE_UNITS))
