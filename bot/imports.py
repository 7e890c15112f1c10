"""Importing a file a chat sent: its feeds (OPML) or its subscriptions (a text list).

Each feed goes through exactly what /addfeed does (`ChatFeeds.precheck`, then
`check_and_add` under the chat's one check claim): the SSRF guard, the chat's limit, the
fetch-and-parse check. Feeds are checked one after another, so an import holds at most one
of the few check slots all chats share, and once the chat's limit is reached the rest are
refused at once without a request. A chat runs one import at a time (`ImportJobs`), as a task
of its own: the chat stays usable while dozens of feeds are checked.

A file is downloaded with a cap on the bytes actually read, not on the size Telegram reports.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from aiogram import Bot

from bot.chatfeeds import AddFeedOutcome, ChatFeeds, FeedChecks, FeedRefusal
from bot.opml import OpmlFeed
from bot.sublist import ListLine
from bot.subscriptions import SubscribeOutcome, SubscriptionService

log = logging.getLogger(__name__)

__all__ = [
    "MAX_FILE_BYTES",
    "FeedImport",
    "FileKind",
    "FileTooBig",
    "ImportJobs",
    "SubImport",
    "download_capped",
    "file_kind",
    "import_feeds",
    "import_subscriptions",
]

MAX_FILE_BYTES = 1_000_000  # an OPML export of 2,000 feeds is about 400 kB
_BUSY_WAIT = 30.0  # seconds an import waits for the chat's own /addfeed check to end


class FileTooBig(Exception):
    """The file is over the cap (reported by Telegram, or found while reading it)."""


async def download_capped(bot: Bot, file_id: str, cap: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes; `FileTooBig` as soon as more than `cap` arrive."""
    info = await bot.get_file(file_id)
    if (info.file_size or 0) > cap:
        raise FileTooBig
    if info.file_path is None:
        raise FileTooBig  # Telegram gives no path to files over its own download limit
    url = bot.session.api.file_url(bot.token, info.file_path)
    chunks: list[bytes] = []
    size = 0
    stream = bot.session.stream_content(url, timeout=30, chunk_size=65536, raise_for_status=True)
    async for chunk in stream:
        size += len(chunk)
        if size > cap:
            raise FileTooBig
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class FeedImport:
    """What became of each feed of a file: added, already there, or refused (with why)."""

    added: list[AddFeedOutcome] = field(default_factory=list)
    already: list[AddFeedOutcome] = field(default_factory=list)
    refused: list[AddFeedOutcome] = field(default_factory=list)
    duplicates: int = 0  # listed twice in the file
    pages: int = 0  # outlines with only an htmlUrl

    def take(self, outcome: AddFeedOutcome) -> None:
        if outcome.refusal is None:
            self.added.append(outcome)
        elif outcome.refusal == FeedRefusal.ALREADY:
            self.already.append(outcome)
        else:
            self.refused.append(outcome)


async def _import_one(
    chat_feeds: ChatFeeds, checks: FeedChecks, chat_id: int, url: str
) -> AddFeedOutcome:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _BUSY_WAIT
    while True:
        first = await chat_feeds.precheck(chat_id, url)
        if first.refusal not in (None, FeedRefusal.BUSY):
            return first
        if first.refusal is None:
            with checks.claim(chat_id, first.url) as claimed:
                if claimed:
                    return await chat_feeds.check_and_add(chat_id, first.url)
        if loop.time() >= deadline:  # the chat's own /addfeed is taking long: say so
            return AddFeedOutcome(url, refusal=FeedRefusal.BUSY)
        await asyncio.sleep(0.2)


async def import_feeds(
    chat_feeds: ChatFeeds,
    checks: FeedChecks,
    chat_id: int,
    feeds: Sequence[OpmlFeed],
    *,
    on_added: Callable[[], None] | None = None,
) -> FeedImport:
    """Every feed of the file through the /addfeed path, one at a time, in file order."""
    report = FeedImport()
    for feed in feeds:
        try:
            outcome = await _import_one(chat_feeds, checks, chat_id, feed.url)
        except Exception:  # one feed's failure must not end the import of the others
            log.exception("importing feed %s for chat %s failed", feed.url, chat_id)
            outcome = AddFeedOutcome(feed.url, refusal=FeedRefusal.UNREACHABLE)
        if outcome.refusal is not None:
            log.info("imported feed %s refused for chat %s: %s", feed.url, chat_id, outcome.reason)
        elif on_added is not None:
            on_added()
        report.take(outcome)
    return report


@dataclass(frozen=True)
class SubImport:
    """One line of a list and what /sub made of it (a line may hold `a, b` as /sub does)."""

    line: ListLine
    outcomes: list[SubscribeOutcome]


async def import_subscriptions(
    service: SubscriptionService, chat_id: int, lines: Sequence[ListLine], now: datetime
) -> list[SubImport]:
    """Each line through /sub's parser and limits; a line marked paused is saved paused."""
    result = []
    for line in lines:
        outcomes = await service.subscribe_many(chat_id, line.query, now)
        if line.paused:
            for outcome in outcomes:
                if outcome.subscription is not None:
                    await service.set_paused(chat_id, outcome.subscription.id, True)
        result.append(SubImport(line, outcomes))
    return result


class ImportJobs:
    """One feed import per chat at a time, each a task; `stop` cancels them at shutdown."""

    def __init__(self) -> None:
        self._running: dict[int, asyncio.Task[None]] = {}

    def busy(self, chat_id: int) -> bool:
        return chat_id in self._running

    def spawn(self, chat_id: int, work: Coroutine[Any, Any, None]) -> bool:
        """Run `work` as this chat's import; False (and `work` dropped) if one is running."""
        if chat_id in self._running:
            work.close()
            return False
        task = asyncio.create_task(work, name=f"import-{chat_id}")
        self._running[chat_id] = task
        task.add_done_callback(lambda _: self._running.pop(chat_id, None))
        return True

    async def stop(self) -> None:
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class FileKind(StrEnum):
    OPML = "opml"
    LIST = "list"


_OPML_NAMES = (".opml", ".xml")
_LIST_NAMES = (".txt", ".text", ".list")
_OPML_TYPES = frozenset({"text/x-opml", "text/xml", "application/xml", "application/x-opml"})


def file_kind(name: str | None, mime: str | None) -> FileKind | None:
    """What a sent file is by its name (or, without a known extension, its type); None: neither.

    Decided before downloading: a photo or a PDF is refused without reading a byte of it.
    """
    lowered = (name or "").lower()
    if lowered.endswith(_OPML_NAMES):
        return FileKind.OPML
    if lowered.endswith(_LIST_NAMES):
        return FileKind.LIST
    kind = (mime or "").lower()
    if kind in _OPML_TYPES or kind.endswith("+xml"):
        return FileKind.OPML
    if kind == "text/plain":
        return FileKind.LIST
    return None
