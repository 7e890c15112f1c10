"""Every Bot API request of the bot passes here (aiogram's session request middleware).

Which requests are messages, i.e. take a slot of the shared `SendBudget`:
- `send*` (sendMessage, sendPhoto, … sendMediaGroup, sendPoll …), `forwardMessage(s)` and
  `copyMessage(s)`: each puts a new message in a chat, which is what Telegram's limits count
  (about 30 a second overall, 1 a second per chat, 20 a minute per group);
- `editMessage*` (text, caption, media, reply markup, live location): Telegram refuses fast
  edits with the same 429 flood control, so an edit is paced like a message to its chat.

Not messages, so they neither take a slot nor wait for one: `getUpdates` (aiogram's polling
loop has its own backoff), `getMe`, `setMyCommands` and every other get/set call,
`answerCallbackQuery` (no message is created; the button's spinner must stop at once),
`deleteMessage` and `sendChatAction` (nothing is added to the chat).

A 429 is waited out rather than handed to the handler: the budget pauses every message for its
`retry_after` (Telegram's flood control is per bot) and the request goes again, up to
`max_flood_waits` times. Requests made under an already granted `Permit` (the delivery worker's)
pass straight through: the worker takes its own slots, at `Priority.BULK`, and decides itself
what a 429 means for the alert.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetUpdates

from bot.delivery.budget import Priority, SendBudget, admitted
from bot.delivery.limits import ChatKey

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.client.session.middlewares.base import NextRequestMiddlewareType
    from aiogram.methods import Response, TelegramMethod
    from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)

__all__ = ["BudgetMiddleware", "is_message", "target_chat"]

_NOT_MESSAGES = frozenset({"sendChatAction"})


def is_message(api_method: str) -> bool:
    """Does Telegram count this Bot API method against its message limits? (see above)"""
    if api_method in _NOT_MESSAGES:
        return False
    return api_method.startswith(("send", "editMessage", "forwardMessage", "copyMessage"))


def target_chat(method: object) -> tuple[ChatKey | None, bool]:
    """The chat a request writes to and whether it is a group (groups: 20 a minute).

    Private chats have positive ids; groups, supergroups and channels negative ones or an
    "@username". An inline message (no chat id) is counted overall only.
    """
    chat_id: Any = getattr(method, "chat_id", None)
    if isinstance(chat_id, bool) or not isinstance(chat_id, int | str):
        return None, False
    if isinstance(chat_id, str):
        return chat_id, True
    return chat_id, chat_id < 0


class BudgetMiddleware(BaseRequestMiddleware):
    def __init__(self, budget: SendBudget, *, max_flood_waits: int = 8) -> None:
        self.budget = budget
        self._max_flood_waits = max_flood_waits

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if admitted() or isinstance(method, GetUpdates):
            return await make_request(bot, method)
        if not is_message(method.__api_method__):
            return await self._unpaced(make_request, bot, method)
        chat_id, is_group = target_chat(method)
        waits = 0
        while True:
            permit = await self.budget.acquire(chat_id, is_group=is_group, priority=Priority.REPLY)
            assert permit is not None  # no cancel event: only cancellation ends the wait
            with permit:
                try:
                    return await make_request(bot, method)
                except TelegramRetryAfter as exc:
                    waits += 1
                    pause = self._flood_pause(method, chat_id, exc, waits)
                    self.budget.pause_all(pause)  # before the permit is released
                    if chat_id is not None:
                        self.budget.pause_chat(chat_id, pause)

    async def _unpaced(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        """Not a message: sent at once; a 429 for it still waits and goes again."""
        waits = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                waits += 1
                await asyncio.sleep(self._flood_pause(method, None, exc, waits))

    def _flood_pause(
        self,
        method: TelegramMethod[TelegramType],
        chat_id: ChatKey | None,
        exc: TelegramRetryAfter,
        waits: int,
    ) -> float:
        """How long to wait out Telegram's flood control; past `max_flood_waits`, give up."""
        if waits > self._max_flood_waits:
            raise exc
        pause = float(max(exc.retry_after, 1))
        log.warning(
            "%s to chat %s: flood control, wait %.0f s (wait %d)",
            method.__api_method__,
            chat_id,
            pause,
            waits,
        )
        return pause
