"""/export and /import: a chat's feeds as OPML and its subscriptions as a text list, both ways.

A file sent in a private chat is imported (an OPML file's feeds, a text list's subscriptions);
in a group only one sent with the caption /import or after /import, so the bot does not read
every document a group shares. Feeds are checked in a task of its own (`ImportJobs`): the
reply «checking N feeds…» comes at once, the summary when the last one is checked.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, Document, ForceReply, Message, TelegramObject
from aiohttp import ClientError

from bot.chatfeeds import ChatFeeds, FeedChecks
from bot.clock import Clock
from bot.config import Settings
from bot.i18n import Texts
from bot.imports import (
    MAX_FILE_BYTES,
    FileKind,
    FileTooBig,
    ImportJobs,
    download_capped,
    file_kind,
    import_feeds,
    import_subscriptions,
)
from bot.middlewares import MANAGE
from bot.opml import MAX_OUTLINES, OpmlDocument, OpmlError, OpmlFeed, parse_opml, write_opml
from bot.services import FetchNow
from bot.sublist import decode_list, read_list, write_list
from bot.subscriptions import SubscriptionService
from bot.views.imports import render_feed_import, render_opml_problem, render_sub_import
from storage import Chat, Repository

log = logging.getLogger(__name__)

_MANAGE = {MANAGE: True}
_FEEDS_ARGS = frozenset({"", "feeds", "opml", "ленты"})
_SUBS_ARGS = frozenset({"subs", "subscriptions", "list", "подписки"})


class ImportForm(StatesGroup):
    waiting = State()  # /import asked for a file or a list


async def export_command(
    message: Message,
    command: CommandObject,
    chat_feeds: ChatFeeds,
    repo: Repository,
    clock: Clock,
    chat_record: Chat,
    tr: Texts,
) -> None:
    """`/export`: the chat's own feeds as OPML; `/export subs`: its subscriptions as a list."""
    arg = (command.args or "").strip().casefold()
    now = clock()
    name = chat_record.title or str(chat_record.id)
    if arg in _FEEDS_ARGS:
        own = [
            cf.feed for cf in await chat_feeds.for_chat(chat_record.id) if cf.own and cf.enabled
        ]
        if not own:
            await message.answer(tr("export.no-feeds"))
            return
        feeds = [OpmlFeed(f.url, f.title) for f in own]
        data = write_opml(feeds, title=tr.plain("export.opml-title", chat=name), created=now)
        caption = tr("export.feeds-caption", count=len(feeds))
        await message.answer_document(BufferedInputFile(data, "feeds.opml"), caption=caption)
    elif arg in _SUBS_ARGS:
        subs = await repo.subscriptions.for_chat(chat_record.id)
        if not subs:
            await message.answer(tr("export.no-subs"))
            return
        header = [tr.plain("export.list-header", chat=name, date=f"{now:%Y-%m-%d}")]
        text = write_list([(s.query, s.paused) for s in subs], header=header)
        caption = tr("export.subs-caption", count=len(subs))
        file = BufferedInputFile(text.encode("utf-8"), "subscriptions.txt")
        await message.answer_document(file, caption=caption)
    else:
        await message.answer(tr("export.usage"))


async def import_command(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    bot: Bot,
    imports: Imports,
    tr: Texts,
) -> None:
    """`/import` with a file (as its caption), with a list after it, or alone (then asks)."""
    if message.document is not None:
        await imports.document(message, message.document, bot, tr)
        return
    text = command.args or ""
    if text.strip():
        await imports.lines(message, text, tr)
        return
    await state.set_state(ImportForm.waiting)
    if message.chat.type == ChatType.PRIVATE:
        await message.answer(tr("import.prompt"))
    else:  # with privacy mode on, the bot sees only replies to its own messages
        await message.reply(tr("import.prompt"), reply_markup=ForceReply(selective=True))


async def document_sent(
    message: Message, state: FSMContext, bot: Bot, imports: Imports, tr: Texts
) -> None:
    await state.set_state(None)
    assert message.document is not None  # the filter
    await imports.document(message, message.document, bot, tr)


async def list_sent(message: Message, state: FSMContext, imports: Imports, tr: Texts) -> None:
    await state.set_state(None)
    await imports.lines(message, message.text or "", tr)


class Imports:
    """The import flows of one dispatcher; holds the chats' running feed imports."""

    def __init__(
        self,
        jobs: ImportJobs,
        chat_feeds: ChatFeeds,
        feed_checks: FeedChecks,
        subscription_service: SubscriptionService,
        fetch_now: FetchNow,
        settings: Settings,
        clock: Clock,
        chat_id: int,
    ) -> None:
        self.jobs = jobs
        self._chat_id = chat_id  # the chat configured: a channel picked with /chat, or this
        self._feeds = chat_feeds
        self._checks = feed_checks
        self._subs = subscription_service
        self._fetch_now = fetch_now
        self._settings = settings
        self._clock = clock

    async def document(self, message: Message, document: Document, bot: Bot, tr: Texts) -> None:
        kind = file_kind(document.file_name, document.mime_type)
        if kind is None:
            await message.reply(tr("import.unknown-file"))
            return
        if (document.file_size or 0) > MAX_FILE_BYTES:  # not a byte of it downloaded
            await message.reply(tr("import.too-big", kb=MAX_FILE_BYTES // 1000))
            return
        try:
            data = await download_capped(bot, document.file_id)
        except FileTooBig:
            await message.reply(tr("import.too-big", kb=MAX_FILE_BYTES // 1000))
            return
        except (TelegramAPIError, ClientError, TimeoutError):
            log.warning("could not download %s", document.file_name, exc_info=True)
            await message.reply(tr("import.download-failed"))
            return
        if kind == FileKind.LIST:
            text = decode_list(data)
            if text is None:
                await message.reply(tr("import.list-encoding"))
                return
            await self.lines(message, text, tr)
            return
        try:
            parsed = parse_opml(data)
        except OpmlError as error:
            log.info("OPML refused for chat %s: %s", message.chat.id, error)
            await message.reply(render_opml_problem(error, MAX_OUTLINES, tr))
            return
        await self._start_feeds(message, parsed, tr)

    async def lines(self, message: Message, text: str, tr: Texts) -> None:
        lines = read_list(text)
        if not lines:
            await message.reply(tr("import.list-empty"))
            return
        results = await import_subscriptions(self._subs, self._chat_id, lines, self._clock())
        limit = self._settings.max_subscriptions_per_chat
        await message.reply(render_sub_import(results, limit, tr))

    async def _start_feeds(self, message: Message, parsed: OpmlDocument, tr: Texts) -> None:
        chat_id = self._chat_id
        if self.jobs.busy(chat_id):
            await message.reply(tr("import.busy"))
            return
        await message.reply(tr("import.checking", count=len(parsed.feeds)))
        self.jobs.spawn(chat_id, self._feeds_job(message, parsed, tr))

    async def _feeds_job(self, message: Message, parsed: OpmlDocument, tr: Texts) -> None:
        chat_id = self._chat_id
        report = await import_feeds(
            self._feeds, self._checks, chat_id, parsed.feeds, on_added=self._fetch_now
        )
        report.duplicates, report.pages = parsed.duplicates, parsed.pages
        text = render_feed_import(report, self._settings.max_feeds_per_chat, tr)
        try:
            await message.reply(text)
        except TelegramAPIError:  # the feeds are added (or not) all the same
            log.warning("could not tell chat %s how its import went", chat_id, exc_info=True)


def create_router() -> Router:
    router = Router(name=__name__)
    jobs = ImportJobs()  # this dispatcher's running feed imports

    async def provide(
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        data["imports"] = Imports(
            jobs,
            data["chat_feeds"],
            data["feed_checks"],
            data["subscription_service"],
            data["fetch_now"],
            data["settings"],
            data["clock"],
            data["chat_record"].id,
        )
        return await handler(event, data)

    router.message.middleware(provide)
    router.shutdown.register(jobs.stop)
    router.message.register(export_command, Command("export"))
    router.message.register(import_command, Command("import"), flags=_MANAGE)
    in_private = F.chat.type == ChatType.PRIVATE
    router.message.register(document_sent, F.document, in_private, flags=_MANAGE)
    waiting = StateFilter(ImportForm.waiting)
    router.message.register(document_sent, F.document, waiting, flags=_MANAGE)
    router.message.register(list_sent, waiting, F.text, ~F.text.startswith("/"), flags=_MANAGE)
    return router
