"""The «ещё N совпадений — /recent» notice for alerts the flood guard held back.

Once a chat's hour window has room again (and at most once an hour) it receives one notice
for its held deliveries; the held rows then carry that notice's message id, which is how each
is announced exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Container
from datetime import datetime, timedelta

from aiogram.enums import ParseMode
from aiogram.types import Message

from bot.alerts import render_held_back
from bot.clock import Clock
from bot.delivery.courier import HOUR
from bot.delivery.outcome import Action
from bot.delivery.sender import Sender, shielded
from storage import Repository

log = logging.getLogger(__name__)

__all__ = ["HeldBackAnnouncer"]

_RETRY = timedelta(seconds=60)


class HeldBackAnnouncer:
    def __init__(
        self, repo: Repository, sender: Sender, *, alerts_per_hour: int, clock: Clock
    ) -> None:
        self._repo = repo
        self._sender = sender
        self._per_hour = alerts_per_hour
        self._clock = clock
        self._not_before: dict[int, datetime] = {}  # chat -> (wall) time of its next try

    async def due(self, busy: Container[int]) -> list[int]:
        """Chats with held alerts whose notice may go now (not counting the send budget)."""
        due: list[int] = []
        for chat_id in await self._repo.deliveries.unannounced_held():
            if chat_id in busy:
                continue
            not_before = self._not_before.get(chat_id)
            if not_before is not None and not_before > self._clock():
                continue
            free_at = await self._free_at(chat_id)
            if free_at is not None and free_at > self._clock():
                self._not_before[chat_id] = free_at
                continue
            due.append(chat_id)
        return due

    async def _free_at(self, chat_id: int) -> datetime | None:
        """When the chat's window has room and its last notice is an hour old."""
        nth = await self._repo.deliveries.nth_latest_sent_at(chat_id, self._per_hour)
        last = await self._repo.deliveries.last_announced_at(chat_id)
        moments = [m + HOUR for m in (nth, last) if m is not None]
        return max(moments) if moments else None

    async def announce(self, chat_id: int) -> None:
        repo = self._repo
        retry_later = self._clock() + _RETRY
        try:
            chat = await repo.chats.get(chat_id)
            if chat is None or not chat.active or chat.paused:
                self._not_before[chat_id] = retry_later
                return
            count = (await repo.deliveries.unannounced_held(chat_id)).get(chat_id, 0)
            if count == 0:
                return
            notice = render_held_back(count, chat.language)
            result = await self._sender.send(chat, notice, ParseMode.HTML, None)
            if isinstance(result, Message):
                await shielded(
                    repo.deliveries.mark_announced(chat_id, result.message_id, self._clock())
                )
                self._not_before.pop(chat_id, None)
                return
            if result is None:
                return
            if result.action is Action.CHAT_GONE:
                await shielded(repo.deactivate_chat(chat_id, result.reason, self._clock()))
                log.warning("chat %d deactivated (%s)", chat_id, result.reason)
                return
            if result.action is Action.FLOOD:
                self._sender.flood(result.retry_after)
                retry_later = self._clock() + timedelta(seconds=result.retry_after)
            log.warning("held-back notice to chat %d failed: %s", chat_id, result.reason)
            self._not_before[chat_id] = retry_later
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("held-back notice to chat %d: unexpected error", chat_id)
            self._not_before[chat_id] = retry_later
