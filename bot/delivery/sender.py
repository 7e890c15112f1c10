"""One message to one chat, in one slot of the shared send budget; failures come back as values.

Alerts queue at `Priority.BULK`, behind waiting command replies. The caller's stop event ends
the wait for a slot: a send that has not started by then does not start at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.types import InlineKeyboardMarkup, Message

from bot.delivery.budget import Priority, SendBudget
from bot.delivery.outcome import Outcome, classify
from storage import AlertMode, Chat, ChatKind

__all__ = ["Sender", "shielded"]

_T = TypeVar("_T")


async def shielded(write: Awaitable[_T]) -> _T:
    """Bookkeeping after a send survives cancellation: it is what prevents a repeat."""
    return await asyncio.shield(write)


class Sender:
    def __init__(
        self, bot: Bot, budget: SendBudget, *, request_timeout: int, stopping: asyncio.Event
    ) -> None:
        self._bot = bot
        self._budget = budget
        self._request_timeout = request_timeout
        self._stopping = stopping

    def chat_delay(self, chat_id: int) -> float:
        """Seconds until `chat_id` may receive again (its spacing, a 429 pause)."""
        return self._budget.chat_delay(chat_id)

    def flood(self, seconds: float, chat_id: int | None = None) -> None:
        """Telegram answered 429: everyone waits, and `chat_id` (if given) at least as long."""
        self._budget.pause_all(seconds)
        if chat_id is not None:
            self._budget.pause_chat(chat_id, seconds)

    async def send(
        self,
        chat: Chat,
        text: str,
        parse_mode: ParseMode | None,
        markup: InlineKeyboardMarkup | None,
        *,
        thread_id: int | None = None,
    ) -> Message | Outcome | None:
        """Telegram's message, or what its refusal means; None: stopped before sending.
        `thread_id`: the forum topic to post in (None: the chat itself, General in a forum)."""
        return await self._call(
            chat,
            lambda: self._bot.send_message(
                chat.id,
                text,
                message_thread_id=thread_id or None,
                parse_mode=parse_mode,
                reply_markup=markup,
                # /settings "silent": alerts arrive without a sound, e.g. for a night feed
                disable_notification=chat.alert_mode == AlertMode.SILENT,
                request_timeout=self._request_timeout,
            ),
        )

    async def edit(
        self,
        chat: Chat,
        message_id: int,
        text: str,
        parse_mode: ParseMode | None,
        markup: InlineKeyboardMarkup | None,
    ) -> Message | bool | Outcome | None:
        """Replace an alert's text (an edit never notifies); same slots, same outcomes."""
        return await self._call(
            chat,
            lambda: self._bot.edit_message_text(
                text=text,
                chat_id=chat.id,
                message_id=message_id,
                parse_mode=parse_mode,
                reply_markup=markup,
                request_timeout=self._request_timeout,
            ),
        )

    async def _call(self, chat: Chat, request: Callable[[], Awaitable[_T]]) -> _T | Outcome | None:
        permit = await self._budget.acquire(
            chat.id,
            # Channels too: Telegram's 20 a minute, as the request middleware reads a negative id.
            is_group=ChatKind(chat.type).paced_as_group,
            priority=Priority.BULK,
            cancel=self._stopping,
        )
        if permit is None:
            return None
        if self._stopping.is_set():
            permit.abandon()
            return None
        with permit:
            try:
                return await request()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                return classify(exc)
