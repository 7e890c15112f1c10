"""A sent alert brought up to date with its story: the silent edit that adds later sources.

An edit never notifies, so a story carried by five outlets is one push and up to four quiet
updates of the same message. The edit is best effort by design: if the message cannot be
edited any more (deleted by the chat, too old, the chat gone), the wish is dropped and logged;
nothing is ever pushed instead, since a second push is exactly what grouping exists to avoid.

Edits share the send budget and the per-chat lanes with alerts (Telegram counts them against
the same limits) and obey the same flood control; transient failures back off and count
attempts like alerts do.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from aiogram.enums import ParseMode

from bot.clock import Clock
from bot.delivery.config import DeliveryConfig
from bot.delivery.drafting import Drafting
from bot.delivery.outcome import Action, Outcome
from bot.delivery.sender import Sender, shielded
from storage import Chat, Delivery, DeliveryStatus, Repository

log = logging.getLogger(__name__)

__all__ = ["StoryEditor"]

_NOT_MODIFIED = "message is not modified"


class StoryEditor:
    def __init__(
        self,
        repo: Repository,
        sender: Sender,
        config: DeliveryConfig,
        drafting: Drafting,
        *,
        clock: Clock,
    ) -> None:
        self._repo = repo
        self._sender = sender
        self._config = config
        self._drafting = drafting
        self._clock = clock

    async def edit(self, queued: Delivery) -> None:
        try:
            await self._edit(queued)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not kill the worker, nor spin on one row
            log.exception("edit of delivery %d: unexpected error", queued.id)
            await self._transient(queued, Outcome(Action.RETRY, f"internal error: {exc!r}"[:500]))

    async def _edit(self, queued: Delivery) -> None:
        repo = self._repo
        delivery = await repo.deliveries.get(queued.id)
        if delivery is None or delivery.status != DeliveryStatus.SENT:
            return
        wanted = delivery.edits_wanted
        if wanted <= delivery.edits_done:
            return
        if delivery.digest_id is not None:
            # Went out in a digest: its line was the story as of then; a digest is not edited.
            await shielded(repo.stories.edited(delivery.id, wanted))
            return
        chat = await repo.chats.get(delivery.chat_id)
        item = await repo.items.get(delivery.item_id)
        if chat is None or not chat.active or item is None or delivery.message_id is None:
            await self._give_up(delivery, wanted, "alert or chat gone")
            return
        message = await self._drafting.draft(delivery, item, chat)
        result = await self._sender.edit(
            chat, delivery.message_id, message.html, ParseMode.HTML, message.keyboard
        )
        if isinstance(result, Outcome) and result.action is Action.PLAIN:
            result = await self._sender.edit(
                chat, delivery.message_id, message.plain, None, message.keyboard
            )
        if result is None:
            return  # stopping before the edit: it stays due
        if not isinstance(result, Outcome) or _NOT_MODIFIED in result.reason.lower():
            await shielded(repo.stories.edited(delivery.id, wanted))
            return
        await self._refused(delivery, chat, wanted, result)

    async def _refused(
        self, delivery: Delivery, chat: Chat, wanted: int, outcome: Outcome
    ) -> None:
        repo = self._repo
        if outcome.action is Action.FLOOD:
            self._sender.flood(outcome.retry_after, chat.id)
            when = self._clock() + timedelta(seconds=outcome.retry_after)
            await shielded(repo.stories.postpone_edit(delivery.id, when))
        elif outcome.action is Action.CHAT_GONE:
            await shielded(repo.deactivate_chat(chat.id, outcome.reason, self._clock()))
            await self._give_up(delivery, wanted, outcome.reason)
        elif outcome.action in {Action.REJECT, Action.PLAIN}:
            await self._give_up(delivery, wanted, outcome.reason)
        else:
            await self._transient(delivery, outcome)

    async def _give_up(self, delivery: Delivery, wanted: int, reason: str) -> None:
        log.warning("alert %d not updated with its story's sources: %s", delivery.id, reason)
        await shielded(self._repo.stories.edited(delivery.id, wanted, reason))

    async def _transient(self, delivery: Delivery, outcome: Outcome) -> None:
        attempts = delivery.edit_attempts + 1
        if attempts >= self._config.max_attempts:
            await self._give_up(delivery, delivery.edits_wanted, outcome.reason)
            return
        delay = self._config.backoff.delay(attempts)
        when = self._clock() + timedelta(seconds=delay)
        await shielded(self._repo.stories.retry_edit(delivery.id, outcome.reason, when))
        log.warning(
            "edit of alert %d, attempt %d failed (%s); retry in %.1f s",
            delivery.id,
            attempts,
            outcome.reason,
            delay,
        )
