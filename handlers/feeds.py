"""/feeds, /addfeed and /delfeed: the chat's feeds, their health, and its own additions.

/addfeed answers at once («checking…») and checks the feed in a task of its own, then edits
that reply with the outcome: the chat's other commands are not queued behind a 20-second
fetch, and a second /addfeed meanwhile is told that one check is already running.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

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

log = logging.getLogger(__name__)

_RECENT_CUT = timedelta(days=1)  # a cut older than this is history, not news for /feeds


def cut_notes(cf: ChatFeed, settings: Settings, now: datetime, tr: Texts) -> list[str]:
    """What the storage quota did to this feed lately, one line each."""
    feed = cf.feed
    notes: list[str] = []
    if feed.cut_at is not None and now - feed.cut_at < _RECENT_CUT:
        notes.append(tr("feeds.cut", count=feed.cut_items, limit=settings.feed_max_items_per_day))
    if feed.clipped_at is not None and now - feed.clipped_at < _RECENT_CUT:
        notes.append(tr("feeds.clipped", limit=settings.item_max_chars))
    return notes


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


def render_feeds(
    feeds: list[ChatFeed], chat: Chat, settings: Settings, now: datetime, tr: Texts
) -> Html:
    if not feeds:
        return tr("feeds.empty")
    lines: list[str] = [tr("feeds.header")]
    for cf in feeds:
        lines.append(feed_line(cf, chat, tr))
        lines.extend("    " + note for note in cut_notes(cf, settings, now, tr))
    hint = tr("feeds.hint", limit=settings.max_feeds_per_chat)
    return Html("\n".join(lines) + "\n\n" + hint)


async def feeds_command(
    message: Message,
    repo: Repository,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    feeds = await repo.feeds.for_chat(chat_record.id)
    await message.answer(render_feeds(feeds, chat_record, settings, clock(), tr))


def render_added(outcome: AddFeedOutcome, limit: int, tr: Texts) -> Html:
    """The outcome as one sentence in the chat's language (no technical English inside)."""
    if outcome.refusal is None:
        return tr("addfeed.added", title=outcome.title or outcome.url, count=outcome.items)
    if outcome.refusal == FeedRefusal.LIMIT:
        return tr("addfeed.limit", limit=limit)
    if outcome.refusal == FeedRefusal.HTTP_ERROR:
        return tr("addfeed.http_error", status=outcome.status or 0)
    return tr(f"addfeed.{outcome.refusal.value}", url=clip(outcome.url, 200))


async def _check_in_background(
    feeds: ChatFeeds,
    chat_id: int,
    url: str,
    reply: Message,
    services: Services,
    limit: int,
    tr: Texts,
) -> None:
    try:
        outcome = await feeds.check_and_add(chat_id, url)
    except Exception:  # the check must end with an answer, whatever went wrong
        log.exception("checking feed %s for chat %s failed", url, chat_id)
        outcome = AddFeedOutcome(url, refusal=FeedRefusal.UNREACHABLE)
    if outcome.refusal is not None:
        log.info("feed %s refused for chat %s: %s", url, chat_id, outcome.reason)
    if outcome.feed is not None:
        services.poke_poller()  # fetch it now rather than at the next round
    try:
        await edit(reply, render_added(outcome, limit, tr), None)
    except Exception:  # Telegram unreachable now: the feed is added (or not) all the same
        log.warning("could not tell chat %s about feed %s", chat_id, url, exc_info=True)


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
    checks = services.feed_checks
    feeds = ChatFeeds.from_settings(repo, settings, clock, checks)
    first = await feeds.precheck(chat_record.id, arg)
    if first.refusal == FeedRefusal.BUSY:
        busy = checks.checking(chat_record.id) or ""
        await message.answer(tr("addfeed.busy", url=clip(busy, 200)))
        return
    if first.refusal is not None:
        await message.answer(render_added(first, settings.max_feeds_per_chat, tr))
        return
    reply = await message.answer(tr("addfeed.checking", url=clip(first.url, 200)))
    work = _check_in_background(
        feeds, chat_record.id, first.url, reply, services, settings.max_feeds_per_chat, tr
    )
    if not checks.spawn(chat_record.id, first.url, work):
        busy = checks.checking(chat_record.id) or ""
        await edit(reply, tr("addfeed.busy", url=clip(busy, 200)), None)


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


async def stop_checks(services: Services) -> None:
    """On shutdown: checks still running are cancelled (the user may simply send it again)."""
    await services.feed_checks.stop()


def create_router() -> Router:
    router = Router(name=__name__)
    router.shutdown.register(stop_checks)
    router.message.register(feeds_command, Command("feeds"))
    router.message.register(addfeed_command, Command("addfeed"))
    router.message.register(delfeed_command, Command("delfeed"))
    router.callback_query.register(feed_button, FeedCb.filter())
    return router
