"""Small pieces several routers share: safe edits, query rendering, replies that fit."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.access import event_may_manage
from bot.access import may_manage as may_manage  # re-exported: the rule lives in bot/access.py
from bot.alerts.html import MAX_ENTITIES, clean_line, html_size, utf16_prefix
from bot.i18n import Html, Texts
from bot.matching import CompiledQuery, QueryError, TermDescription


async def message_may_manage(message: Message, bot: Bot, tr: Texts) -> bool:
    """True if the sender may change this chat's setup; otherwise replies with a short refusal.

    Prefer the `MANAGE` handler flag (bot/middlewares.py), which applies this rule in one place.
    """
    allowed = await event_may_manage(message, bot)
    if not allowed:
        await message.reply(tr("admin.only"))
    return allowed


async def callback_may_manage(query: CallbackQuery, bot: Bot) -> bool:
    return await event_may_manage(query, bot)


def editable(query: CallbackQuery) -> Message | None:
    """The message under the button, if the bot can still edit it."""
    return query.message if isinstance(query.message, Message) else None


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Edit text and buttons in place.

    «Not modified» (a double press) is not an error; a message Telegram no longer lets us edit
    (too old, deleted) gets the new content as a fresh message instead.
    """
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "not modified" in exc.message:
            return
        if "can't be edited" in exc.message or "not found" in exc.message:
            await message.answer(text, reply_markup=markup)
            return
        raise


def query_error(error: QueryError, tr: Texts) -> Html:
    """The localized reason a query was refused, with the engine's parameters filled in."""
    key = f"qerr.{error.code}"
    if tr.has(key):
        try:
            return tr(key, **error.params)
        except (KeyError, IndexError, ValueError):
            pass
    return tr("qerr.unknown", message=str(error))


def _meaning(d: TermDescription, tr: Texts) -> Html:
    examples = ", ".join(d.examples)
    if d.kind in ("word", "name"):
        if not d.known:
            return tr("desc.word_guess")
        if examples:
            return tr(f"desc.{d.kind}", examples=examples)
        return tr(f"desc.{d.kind}_plain")
    if d.kind == "abbreviation":
        return tr("desc.abbreviation", text=d.text)
    if d.kind == "prefix":
        return tr("desc.prefix", prefix=d.text.rstrip("*"))
    if d.kind in ("exact", "english", "phrase"):
        return tr(f"desc.{d.kind}")
    return tr("desc.word_plain")


def describe_query(query: CompiledQuery, tr: Texts) -> Html:
    """How the engine understood a query, one line per term, «или» between alternatives."""
    lines: list[str] = []
    branch = 0
    for d in query.describe():
        if d.branch != branch:
            lines.append(tr("desc.or"))
            branch = d.branch
        shown = f"«{d.text}»"
        key = "desc.negated" if d.negated else "desc.line"
        lines.append(tr(key, text=shown, meaning=_meaning(d, tr)))
    return Html("\n".join(lines))


def local_time(moment: datetime, timezone: str) -> str:
    """dd.mm HH:MM in the chat's zone; a moment at the edge of the calendar stays as it is."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    with contextlib.suppress(OverflowError, ValueError):  # year 1 or 9999 shifted past the end
        moment = moment.astimezone(zone)
    return moment.strftime("%d.%m %H:%M")


def link(title: str, url: str | None) -> Html:
    """A title as a link when the URL is a web one; the title alone otherwise."""
    shown = html.escape(title, quote=False)
    if url and url.lower().startswith(("http://", "https://")):
        return Html(f'<a href="{html.escape(url, quote=True)}">{shown}</a>')
    return Html(shown)


def clip(text: str, limit: int) -> str:
    """One clean line of at most `limit` UTF-16 units (as Telegram counts), «…» if cut."""
    text = clean_line(text)
    if utf16_prefix(text, limit) == len(text):
        return text
    return text[: utf16_prefix(text, max(limit - 1, 0))].rstrip() + "…"


# Telegram's limits on one message, with a margin for what it trims or adds.
MAX_REPLY_UTF16 = 4000
MAX_REPLY_ENTITIES = MAX_ENTITIES - 5


def fits(text: str) -> bool:
    """Whether one message of this HTML stays within Telegram's length and entity limits."""
    units, entities = html_size(text)
    return units <= MAX_REPLY_UTF16 and entities <= MAX_REPLY_ENTITIES


def pack(
    blocks: Sequence[str],
    *,
    more: Callable[[int], str],
    separator: str = "\n\n",
    max_messages: int = 3,
) -> list[Html]:
    """Blocks of HTML laid into as few messages as fit Telegram, never a block split.

    Past `max_messages`, the blocks left are summed up by `more(count)` at the end of the
    last message. A block too big for a message on its own (callers bound their blocks, so
    only by mistake) is replaced by «…» rather than refused by Telegram.
    """
    sep_units, sep_entities = html_size(separator)
    tail_units, tail_entities = html_size(separator + more(len(blocks)))
    messages: list[list[str]] = [[]]
    units = entities = 0
    for index, raw in enumerate(blocks):
        block = raw if fits(raw) else "…"
        b_units, b_entities = html_size(block)
        if messages[-1]:
            b_units, b_entities = b_units + sep_units, b_entities + sep_entities
        last = len(messages) == max_messages
        room_units = MAX_REPLY_UTF16 - (tail_units if last else 0)
        room_entities = MAX_REPLY_ENTITIES - (tail_entities if last else 0)
        if units + b_units <= room_units and entities + b_entities <= room_entities:
            messages[-1].append(block)
            units, entities = units + b_units, entities + b_entities
            continue
        if last or not messages[-1]:
            messages[-1].append(more(len(blocks) - index))
            break
        messages.append([block])
        units, entities = html_size(block)
    return [Html(separator.join(m)) for m in messages if m]
