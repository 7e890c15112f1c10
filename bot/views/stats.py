"""/stats: the operators' view of whether the bot is alive and keeping up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.i18n import Html, Texts

__all__ = ["Stats", "render_stats"]


@dataclass(frozen=True)
class Stats:
    """The figures /stats shows, as the repositories count them."""

    chats: Mapping[str, int]
    subscriptions: int
    feeds: Mapping[str, int]
    items_day: int
    queue: Mapping[str, int]
    days: Sequence[tuple[str, int, int]]
    requests_hour: int = 0  # requests made to feeds in the last hour


def render_stats(stats: Stats, tr: Texts) -> Html:
    queue = stats.queue
    text = tr(
        "stats.text",
        chats=stats.chats["total"],
        active=stats.chats["active"],
        paused=stats.chats["paused"],
        subscriptions=stats.subscriptions,
        feeds=stats.feeds["total"],
        failing=stats.feeds["failing"],
        items_day=stats.items_day,
        pending=queue.get("pending", 0),
        held=queue.get("held", 0),
        sent=queue.get("sent", 0),
        failed=queue.get("failed", 0),
        requests_hour=stats.requests_hour,
    )
    if not stats.days:
        return text
    rows = "\n".join(f"{day}: {items} / {alerts}" for day, items, alerts in stats.days)
    return Html(text + "\n\n" + tr("stats.days", days=rows))
