"""/feeds, /addfeed and /delfeed: the chat's feeds, their health, and its own additions."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.app import Services
from bot.callbacks import FeedAction, FeedCb
from bot.chatfeeds import AddFeedOutcome, ChatFeeds, FeedRefusal
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Html, Texts
from bot.keyboards import feeds_keyboard
from handlers.common import (
    callback_may_manage,
    clip,
    edit,
    editable,
    local_time,
    message_may_manage,
)
from storage import Chat, ChatFeed, Repository


def feed_line(cf: ChatFeed, chat: Chat, tr: Texts) -> Html:
    feed = cf.feed
    title = clip(feed.title or feed.url, 40)  # defaults and 20 own feeds fit one message
    if cf.own:
        title += f" ({tr.plain('feeds.own')})"
    if not cf.enabled:
        mark, health = "⏹", tr("feeds.disabled")
    elif feed.consecutive_failures > 0:
        error = clip(feed.last_error or "?", 60)
        mark, health = "🔴", tr("feeds.failing", error=error, count=feed.consecutive_failures)
    elif feed.last_success_at is not None:
        mark, health = "🟢", tr("feeds.ok", when=local_time(feed.last_success_at, chat.timezone))
    else:
        mark, health = "⚪", tr("feeds.never")
    return tr("feeds.line", mark=mark, title=title, health=health)


def render_feeds(feeds: list[ChatFeed], chat: Chat, limit: int, tr: Texts) -> Html:
    if not feeds:
        return tr("feeds.empty")
    lines = [tr("feeds.header"), *(feed_line(cf, chat, tr) for cf in feeds)]
    return Html("\n".join(lines) + "\n\n" + tr("feeds.hint", limit=limit))


async def feeds_command(
    message: Message, repo: Repository, settings: Settings, chat_record: Chat, tr: Texts
) -> None:
    feeds = await repo.feeds.for_chat(chat_record.id)
    await message.answer(render_feeds(feeds, chat_record, settings.max_feeds_per_chat, tr))


def render_added(outcome: AddFeedOutcome, limit: int, tr: Texts) -> Html:
    if outcome.refusal is None:
        return tr("addfeed.added", title=outcome.title or outcome.url, count=outcome.items)
    if outcome.refusal == FeedRefusal.LIMIT:
        return tr("addfeed.limit", limit=limit)
    key = f"addfeed.{outcome.refusal.value}"
    return tr(key, reason=clip(outcome.reason or "", 200))


async def addfeed_command(
    message: Message,
    command: CommandObject,
    bot: Bot,
    repo: Repository,
    settings: Settings,
    services: Services,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    if not await message_may_manage(message, bot, tr):
        return
    arg = (command.args or "").strip()
    if not arg:
        await message.answer(tr("addfeed.usage"))
        return
    outcome = await ChatFeeds.from_settings(repo, settings, clock).add(chat_record.id, arg)
    if outcome.feed is not None:
        services.poke_poller()  # fetch it now rather than at the next round
    await message.answer(render_added(outcome, settings.max_feeds_per_chat, tr))


async def delfeed_command(
    message: Message, bot: Bot, repo: Repository, chat_record: Chat, tr: Texts
) -> None:
    if not await message_may_manage(message, bot, tr):
        return
    feeds = await repo.feeds.for_chat(chat_record.id)
    if not feeds:
        await message.answer(tr("feeds.empty"))
        return
    await message.answer(tr("delfeed.ask"), reply_markup=feeds_keyboard(feeds, tr))


async def feed_button(
    query: CallbackQuery,
    callback_data: FeedCb,
    callback_answer: CallbackAnswer,
    bot: Bot,
    repo: Repository,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    if not await callback_may_manage(query, bot):
        callback_answer.text = tr.plain("cb.not_admin")
        return
    feeds = ChatFeeds.from_settings(repo, settings, clock)
    if callback_data.action == FeedAction.DELETE:
        ok = await feeds.remove(chat_record.id, callback_data.feed_id)
        done = "cb.feed_deleted"
    else:
        enabled = callback_data.action == FeedAction.ENABLE
        ok = await feeds.set_enabled(chat_record.id, callback_data.feed_id, enabled)
        done = "cb.feed_enabled" if enabled else "cb.feed_disabled"
    callback_answer.text = tr.plain(done if ok else "cb.stale_feed")
    message = editable(query)
    if message is not None:
        current = await repo.feeds.for_chat(chat_record.id)
        markup = feeds_keyboard(current, tr) if current else None
        await edit(message, tr("delfeed.ask") if current else tr("feeds.empty"), markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(feeds_command, Command("feeds"))
    router.message.register(addfeed_command, Command("addfeed"))
    router.message.register(delfeed_command, Command("delfeed"))
    router.callback_query.register(feed_button, FeedCb.filter())
    return router
