"""The /settings panel's text and the time-zone picker's prompt."""

from __future__ import annotations

from datetime import datetime

from bot.digests.parse import hhmm
from bot.i18n import Html, Texts
from bot.keyboards import grouping_value
from bot.timezones import zone_label
from bot.views.fit import clip
from storage import Chat

__all__ = [
    "render_bad_zone",
    "render_quiet",
    "render_schedule",
    "render_settings",
    "render_zone_prompt",
]

_TYPED_ZONE_UNITS = 60


def render_settings(chat: Chat, now: datetime, tr: Texts) -> Html:
    """Language, time zone (city and offset as of `now`), alert mode and story grouping."""
    key = f"mode.{chat.alert_mode}"
    return tr(
        "settings.text",
        language=tr.plain(f"lang.{tr.lang}"),
        timezone=zone_label(chat.timezone, now, tr),
        mode=tr.plain(key) if tr.has(key) else chat.alert_mode,
        stories=tr.plain(f"stories.{grouping_value(chat.group_stories)}"),
        schedule=render_schedule(chat, tr),
        quiet=render_quiet(chat, tr),
    )


def render_schedule(chat: Chat, tr: Texts) -> str:
    """«сразу», «дайджестом раз в час», «дайджестом раз в день в 09:00»."""
    return tr.plain(f"schedule.{chat.delivery_schedule}", time=hhmm(chat.digest_at))


def render_quiet(chat: Chat, tr: Texts) -> Html:
    """«23:00–08:00», or how to set them."""
    if chat.quiet_from is None or chat.quiet_until is None:
        return tr("quiet.none")
    return tr("quiet.range", start=hhmm(chat.quiet_from), end=hhmm(chat.quiet_until))


def render_zone_prompt(tr: Texts) -> Html:
    return Html(tr("settings.pick_zone") + "\n" + tr("settings.type_zone"))


def render_bad_zone(typed: str, tr: Texts) -> Html:
    return tr("settings.bad_zone", zone=clip(typed, _TYPED_ZONE_UNITS))
