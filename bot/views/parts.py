"""Pieces of a reply line: a moment in the chat's time, a title that links to its item."""

from __future__ import annotations

import contextlib
from datetime import datetime

from bot.alerts.html import escape, escape_attr, safe_link
from bot.i18n import Html
from bot.timezones import load_zone

__all__ = ["link", "local_time"]


def local_time(moment: datetime, timezone: str) -> str:
    """dd.mm HH:MM in the chat's zone; a moment at the edge of the calendar stays as it is."""
    with contextlib.suppress(OverflowError, ValueError):  # year 1 or 9999 shifted past the end
        moment = moment.astimezone(load_zone(timezone))
    return moment.strftime("%d.%m %H:%M")


def link(title: str, url: str | None) -> Html:
    """A title as a link when a reader can safely follow the URL (`safe_link`); else the title."""
    shown = escape(title)
    target = safe_link(url)
    if target is None:
        return Html(shown)
    return Html(f'<a href="{escape_attr(target)}">{shown}</a>')
