"""A due digest taken to its chat: one part per turn, its alerts marked sent with that part.

The digest runs in the chat's lane like an alert (never two sends to one chat at once), takes
one slot of the shared budget per message and meets Telegram's answers the way alerts do: a
429 waits without counting, 5xx and network errors back off and count an attempt (after
`max_attempts` the digest and its alerts are failed), a chat gone deactivates the chat. What a
part carried is recorded in the same transaction that marks its alerts sent, so a retry or a
restart sends the rest, never a part twice.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from aiogram.enums import ParseMode
from aiogram.types import Message

from bot.clock import Clock
from bot.delivery.config import DeliveryConfig
from bot.delivery.outcome import Action, Outcome
from bot.delivery.sender import Sender, shielded
from bot.delivery.topic_route import TopicRoute
from bot.destinations.loss import ChannelLoss
from bot.digests import compose_part
from bot.i18n import texts
from storage import Chat, DeliverySchedule, Digest, DigestStatus, Repository

log = logging.getLogger(__name__)

__all__ = ["DigestCourier"]


class DigestCourier:
    def __init__(
        self, repo: Repository, sender: Sender, config: DeliveryConfig, *, clock: Clock
    ) -> None:
        self._repo = repo
        self._sender = sender
        self._config = config
        self._clock = clock
        self._route = TopicRoute(repo, sender, clock=clock)  # a topic's digest goes there
        self._loss = ChannelLoss(repo, sender)

    async def deliver(self, queued: Digest) -> None:
        try:
            await self._deliver(queued)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not kill the worker, nor spin on one digest
            log.exception("digest %d: unexpected error", queued.id)
            await self._transient(queued, Outcome(Action.RETRY, f"internal error: {exc!r}"[:500]))

    async def _deliver(self, queued: Digest) -> None:
        repo = self._repo
        digest = await repo.digests.get(queued.id)
        if digest is None or digest.status != DigestStatus.PENDING:
            return
        chat = await repo.chats.get(digest.chat_id)
        if chat is None or not chat.active:
            await repo.digests.give_up(digest.id, DigestStatus.CANCELLED, "inactive")
            return
        if chat.paused:
            await repo.digests.give_up(digest.id, DigestStatus.CANCELLED, "paused")
            return
        entries = await repo.digests.entries(digest.id)
        if not entries:
            await repo.digests.finish_empty(digest.id, self._clock())
            return
        part = compose_part(
            entries,
            chat,
            texts(chat.language),
            quiet=chat.delivery_schedule is DeliverySchedule.INSTANT,
            continued=digest.parts_sent > 0,
        )
        thread = digest.thread_id
        result = await self._route.send(chat, thread, part.html, ParseMode.HTML, None)
        if isinstance(result, Outcome) and result.action is Action.PLAIN:
            log.warning("digest %d: %s; sending as plain text", digest.id, result.reason)
            result = await self._route.send(chat, thread, part.plain, None, None)
        if result is None:
            return  # stopping before the send: the digest stays due
        if isinstance(result, Message):
            done = await shielded(
                repo.digests.part_sent(
                    digest.id, part.delivery_ids, result.message_id, self._clock()
                )
            )
            log.info(
                "digest %d to chat %d: %d alerts in part %d%s",
                digest.id,
                chat.id,
                len(part.delivery_ids),
                digest.parts_sent + 1,
                "" if done else ", more to come",
            )
            return
        await self._refused(digest, chat, result)

    async def _refused(self, digest: Digest, chat: Chat, outcome: Outcome) -> None:
        repo = self._repo
        if outcome.action is Action.FLOOD:
            log.warning(
                "digest %d: flood control, retry in %.0f s", digest.id, outcome.retry_after
            )
            self._sender.flood(outcome.retry_after, chat.id)
            when = self._clock() + timedelta(seconds=outcome.retry_after)
            await shielded(repo.digests.postpone(digest.id, when))
        elif outcome.action is Action.CHAT_GONE:
            await shielded(repo.deactivate_chat(chat.id, outcome.reason, self._clock()))
            log.warning("chat %d deactivated (%s) with a digest due", chat.id, outcome.reason)
            await self._loss.tell_managers(chat)
        elif outcome.action in {Action.REJECT, Action.PLAIN, Action.TOPIC_GONE}:
            await shielded(repo.digests.give_up(digest.id, DigestStatus.FAILED, outcome.reason))
            log.warning("digest %d failed: %s", digest.id, outcome.reason)
        else:
            await self._transient(digest, outcome)

    async def _transient(self, digest: Digest, outcome: Outcome) -> None:
        attempts = digest.attempts + 1
        if attempts >= self._config.max_attempts:
            await shielded(
                self._repo.digests.give_up(digest.id, DigestStatus.FAILED, outcome.reason)
            )
            log.warning(
                "digest %d failed after %d attempts: %s", digest.id, attempts, outcome.reason
            )
            return
        delay = self._config.backoff.delay(attempts)
        when = self._clock() + timedelta(seconds=delay)
        await shielded(self._repo.digests.retry(digest.id, outcome.reason, when))
        log.warning(
            "digest %d attempt %d failed (%s); retry in %.1f s",
            digest.id,
            attempts,
            outcome.reason,
            delay,
        )
