"""The message under a pressed button: reaching it, and editing it in place."""

from __future__ import annotations

from typing import Any

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

__all__ = ["OnMessage", "edit", "editable"]


def editable(query: CallbackQuery) -> Message | None:
    """The message under the button, if the bot can still edit it."""
    return query.message if isinstance(query.message, Message) else None


class OnMessage(Filter):
    """A press on a message the bot can still edit, handed to the handler as `message`.

    With `shown`, the pressed payload must also be one of that message's own buttons: a
    payload the message does not show (forged, or from a keyboard since replaced) cannot turn
    an alert or a list into something else. A press this filter refuses reaches the stale
    answer in handlers/fallback.py.
    """

    def __init__(self, *, shown: bool = False) -> None:
        self.shown = shown

    async def __call__(self, query: CallbackQuery) -> bool | dict[str, Any]:
        message = editable(query)
        if message is None:
            return False
        if self.shown and not _shows(message, query.data):
            return False
        return {"message": message}


def _shows(message: Message, data: str | None) -> bool:
    markup = message.reply_markup
    if markup is None or not data:
        return False
    return any(b.callback_data == data for row in markup.inline_keyboard for b in row)


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
