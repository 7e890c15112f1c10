"""/stats for the bot's operators (ADMIN_IDS): is it alive, is it keeping up."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Html, Texts
from storage import Repository

_DAYS = 7


async def stats_command(
    message: Message, repo: Repository, settings: Settings, clock: Clock, tr: Texts
) -> None:
    user = message.from_user
    if user is None or user.id not in settings.admin_ids:
        await message.answer(tr("stats.only_admins"))
        return
    now = clock()
    chats = await repo.chats.counts()
    feeds = await repo.feeds.health()
    queue = await repo.deliveries.counts_by_status()
    text = tr(
        "stats.text",
        chats=chats["total"],
        active=chats["active"],
        paused=chats["paused"],
        subscriptions=await repo.subscriptions.count(),
        feeds=feeds["total"],
        failing=feeds["failing"],
        items_day=await repo.items.count_since(now - timedelta(days=1)),
        pending=queue.get("pending", 0),
        held=queue.get("held", 0),
        sent=queue.get("sent", 0),
        failed=queue.get("failed", 0),
    )
    days = await repo.deliveries.per_day(now - timedelta(days=_DAYS))
    if days:
        rows = "\n".join(f"{day}: {items} / {alerts}" for day, items, alerts in days)
        text = Html(text + "\n\n" + tr("stats.days", days=rows))
    await message.answer(text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(stats_command, Command("stats"))
    return router
