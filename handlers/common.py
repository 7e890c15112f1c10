"""Small pieces several routers share: who may change things, safe edits, query rendering."""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram import Bot
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.i18n import Html, Texts
from bot.matching import CompiledQuery, QueryError, TermDescription

_MANAGERS = frozenset({ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR})


async def may_manage(bot: Bot, chat_id: int, chat_type: str, user_id: int | None,
                     sender_chat_id: int | None = None) -> bool:
    """Anyone in a private chat; in a group, its administrators (anonymous ones included)."""
    if chat_type == ChatType.PRIVATE:
        return True
    if sender_chat_id is not None and sender_chat_id == chat_id:
        return True  # an anonymous administrator posts as the group itself
    if user_id is None:
        return False
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramAPIError:
        return False
    return member.status in _MANAGERS


async def message_may_manage(message: Message, bot: Bot, tr: Texts) -> bool:
    """True if the sender may change this chat's setup; otherwise replies with a short refusal."""
    allowed = await may_manage(
        bot,
        message.chat.id,
        message.chat.type,
        message.from_user.id if message.from_user else None,
        message.sender_chat.id if message.sender_chat else None,
    )
    if not allowed:
        await message.reply(tr("admin.only"))
    return allowed


async def callback_may_manage(query: CallbackQuery, bot: Bot) -> bool:
    if query.message is None:
        return False
    chat = query.message.chat
    return await may_manage(bot, chat.id, chat.type, query.from_user.id)


def editable(query: CallbackQuery) -> Message | None:
    """The message under the button, if the bot can still edit it."""
    return query.message if isinstance(query.message, Message) else None


async def edit(
    message: Message, text: str, markup: InlineKeyboardMarkup | None
) -> None:
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
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%d.%m %H:%M")


def link(title: str, url: str | None) -> Html:
    """A title as a link when the URL is a web one; the title alone otherwise."""
    shown = html.escape(title, quote=False)
    if url and url.lower().startswith(("http://", "https://")):
        return Html(f'<a href="{html.escape(url, quote=True)}">{shown}</a>')
    return Html(shown)


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
