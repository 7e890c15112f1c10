"""/stats for the bot's operators (ADMIN_IDS): is it alive, is it keeping up."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Texts
from bot.views.stats import Stats, render_stats
from storage import Repository

_DAYS = 7


async def gather_stats(repo: Repository, now: datetime) -> Stats:
    return Stats(
        chats=await repo.chats.counts(),
        subscriptions=await repo.subscriptions.count(),
        feeds=await repo.feeds.health(),
        items_day=await repo.items.count_since(now - timedelta(days=1)),
        queue=await repo.deliveries.counts_by_status(),
        days=await repo.deliveries.per_day(now - timedelta(days=_DAYS)),
        requests_hour=await repo.feeds.fetches_since(now - timedelta(hours=1)),
    )


async def stats_command(
    message: Message, repo: Repository, settings: Settings, clock: Clock, tr: Texts
) -> None:
    user = message.from_user
    if user is None or user.id not in settings.admin_ids:
        await message.answer(tr("stats.only_admins"))
        return
    await message.answer(render_stats(await gather_stats(repo, clock()), tr))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(stats_command, Command("stats"))
    return router
