"""/feeds, /addfeed and /delfeed: the chat's feeds, their health, and its own additions.

/addfeed answers at once («checking…») and checks the feed in a task of its own, then edits
that reply with the outcome: the chat's other commands are not queued behind a 20-second
fetch, and a second /addfeed meanwhile is told that one check is already running.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import FeedAction, FeedCb
from bot.chatfeeds import AddFeedOutcome, ChatFeeds, FeedChecks, FeedRefusal
from bot.clock import Clock
from bot.config import Settings
from bot.fulltext.modes import may_switch, switch_mode
from bot.i18n import Texts
from bot.keyboards import feeds_keyboard, fulltext_keyboard
from bot.middlewares import MANAGE
from bot.services import FetchNow
from bot.views.feeds import render_added, render_busy, render_checking, render_feeds
from handlers.buttons import edit, editable
from storage import Chat, ChatFeed, Repository

log = logging.getLogger(__name__)

_MANAGE = {MANAGE: True}


async def feeds_command(
    message: Message,
    chat_feeds: ChatFeeds,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    feeds = await chat_feeds.for_chat(chat_record.id)
    user = message.from_user.id if message.from_user else None
    text, markup = _feeds_reply(feeds, chat_record, user, settings, clock, tr)
    await message.answer(text, reply_markup=markup)


def _feeds_reply(
    feeds: list[ChatFeed],
    chat: Chat,
    user_id: int | None,
    settings: Settings,
    clock: Clock,
    tr: Texts,
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The /feeds list, with a full-text button for each feed this user may switch."""
    switchable = {
        cf.feed.id for cf in feeds if may_switch(cf, chat.id, user_id, settings.admin_ids)
    }
    markup = fulltext_keyboard(feeds, switchable, tr)
    text = render_feeds(feeds, chat, settings, clock(), tr, switchable=markup is not None)
    return text, markup


async def _check_in_background(
    feeds: ChatFeeds,
    chat_id: int,
    url: str,
    reply: Message,
    fetch_now: FetchNow,
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
        fetch_now()  # fetch it now rather than at the next round
    try:
        await edit(reply, render_added(outcome, limit, tr), None)
    except Exception:  # Telegram unreachable now: the feed is added (or not) all the same
        log.warning("could not tell chat %s about feed %s", chat_id, url, exc_info=True)


async def addfeed_command(
    message: Message,
    command: CommandObject,
    chat_feeds: ChatFeeds,
    feed_checks: FeedChecks,
    fetch_now: FetchNow,
    settings: Settings,
    chat_record: Chat,
    tr: Texts,
) -> None:
    arg = (command.args or "").strip()
    if not arg:
        await message.answer(tr("addfeed.usage"))
        return
    checks = feed_checks
    first = await chat_feeds.precheck(chat_record.id, arg)
    if first.refusal == FeedRefusal.BUSY:
        await message.answer(render_busy(checks.checking(chat_record.id) or "", tr))
        return
    if first.refusal is not None:
        await message.answer(render_added(first, settings.max_feeds_per_chat, tr))
        return
    reply = await message.answer(render_checking(first.url, tr))
    work = _check_in_background(
        chat_feeds, chat_record.id, first.url, reply, fetch_now, settings.max_feeds_per_chat, tr
    )
    if not checks.spawn(chat_record.id, first.url, work):
        await edit(reply, render_busy(checks.checking(chat_record.id) or "", tr), None)


async def delfeed_command(
    message: Message, chat_feeds: ChatFeeds, chat_record: Chat, tr: Texts
) -> None:
    feeds = await chat_feeds.for_chat(chat_record.id)
    if not feeds:
        await message.answer(tr("feeds.empty"))
        return
    await message.answer(tr("delfeed.ask"), reply_markup=feeds_keyboard(feeds, tr))


async def _answer_and_refresh(
    query: CallbackQuery,
    callback_answer: CallbackAnswer,
    done: str | None,
    chat_feeds: ChatFeeds,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """The toast (`done`, or «stale» when None), then the list as it is now."""
    callback_answer.text = tr.plain(done or "cb.stale_feed")
    message = editable(query)
    if message is not None:
        current = await chat_feeds.for_chat(chat_record.id)
        markup = feeds_keyboard(current, tr) if current else None
        await edit(message, tr("delfeed.ask") if current else tr("feeds.empty"), markup)


async def delete_button(
    query: CallbackQuery,
    callback_data: FeedCb,
    callback_answer: CallbackAnswer,
    chat_feeds: ChatFeeds,
    chat_record: Chat,
    tr: Texts,
) -> None:
    ok = await chat_feeds.remove(chat_record.id, callback_data.feed_id)
    done = "cb.feed_deleted" if ok else None
    await _answer_and_refresh(query, callback_answer, done, chat_feeds, chat_record, tr)


async def switch_button(
    query: CallbackQuery,
    callback_data: FeedCb,
    callback_answer: CallbackAnswer,
    chat_feeds: ChatFeeds,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """A default feed switched on or off for this chat."""
    enabled = callback_data.action == FeedAction.ENABLE
    ok = await chat_feeds.set_enabled(chat_record.id, callback_data.feed_id, enabled)
    done = ("cb.feed_enabled" if enabled else "cb.feed_disabled") if ok else None
    await _answer_and_refresh(query, callback_answer, done, chat_feeds, chat_record, tr)


async def fulltext_button(
    query: CallbackQuery,
    callback_data: FeedCb,
    callback_answer: CallbackAnswer,
    chat_feeds: ChatFeeds,
    repo: Repository,
    settings: Settings,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """The feed's full-text mode to the next one, and the /feeds list redrawn."""
    user = query.from_user.id
    feeds = await chat_feeds.for_chat(chat_record.id)
    mode = await switch_mode(
        repo,
        feeds,
        callback_data.feed_id,
        chat_id=chat_record.id,
        user_id=user,
        admin_ids=settings.admin_ids,
    )
    if mode is None:
        callback_answer.text = tr.plain("cb.stale_feed")
        return
    callback_answer.text = tr.plain("cb.fulltext", mode=tr.plain(f"fulltext.mode-{mode}"))
    message = editable(query)
    if message is not None:
        current = await chat_feeds.for_chat(chat_record.id)
        text, markup = _feeds_reply(current, chat_record, user, settings, clock, tr)
        await edit(message, text, markup)


async def stop_checks(feed_checks: FeedChecks) -> None:
    """On shutdown: checks still running are cancelled (the user may simply send it again)."""
    await feed_checks.stop()


def create_router() -> Router:
    router = Router(name=__name__)
    router.shutdown.register(stop_checks)
    router.message.register(feeds_command, Command("feeds"))
    router.message.register(addfeed_command, Command("addfeed"), flags=_MANAGE)
    router.message.register(delfeed_command, Command("delfeed"), flags=_MANAGE)
    delete = FeedCb.filter(F.action == FeedAction.DELETE)
    switch = FeedCb.filter(F.action.in_({FeedAction.ENABLE, FeedAction.DISABLE}))
    router.callback_query.register(delete_button, delete, flags=_MANAGE)
    router.callback_query.register(switch_button, switch, flags=_MANAGE)
    fulltext = FeedCb.filter(F.action == FeedAction.FULLTEXT)
    router.callback_query.register(fulltext_button, fulltext, flags=_MANAGE)
    return router
