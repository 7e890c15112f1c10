"""What a chat sees when an item matches: an extractive summary and a safe Telegram message."""

from bot.alerts.render import (
    AlertView,
    render_alert,
    render_held_back,
    render_marked,
    render_plain,
)
from bot.alerts.summary import Summary, summarize

__all__ = [
    "AlertView",
    "Summary",
    "render_alert",
    "render_held_back",
    "render_marked",
    "render_plain",
    "summarize",
]
