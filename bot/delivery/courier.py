"""One queued delivery taken to its chat: checks, the flood guard, compose, send, outcome.

- The row is re-read first: a chat paused or gone since it was queued gets the delivery
  cancelled ("paused" / "inactive"), not kept, so a chat that resumes gets no stale backlog.
- Digests: a chat in quiet hours or on an hourly/daily schedule gets the delivery put into its
  digest (`Holding`), unless an urgent subscription fired; `DigestCourier` sends it later.
- Flood guard: a chat that already got `alerts_per_hour` alerts in the last hour gets the
  delivery marked held; `HeldBackAnnouncer` tells it about those later, once.
- HTML Telegram cannot parse is sent once more as plain text.
- Marking sent (with Telegram's message id) is shielded from cancellation: a row is never left
  pending after Telegram accepted it, except when the process dies in between.
- Transient failures back off and count an attempt; a 429 does not count, it pauses everyone.
- A forum topic's alert goes to its topic; a topic closed or deleted sends it to General with
  one note (`TopicRoute`). A channel that lost the bot is deactivated and its managers are told
  (`ChannelLoss`).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from aiogram.enums import ParseMode
from aiogram.types import Message

from bot.clock import Clock
from bot.delivery.config import DeliveryConfig
from bot.delivery.drafting import Drafting
from bot.delivery.outcome import Action, Outcome
from bot.delivery.sender import Sender, shielded
from bot.delivery.topic_route import TopicRoute
from bot.destinations.loss import ChannelLoss
from bot.digests import Holding
from bot.logs import delivery_ids
from bot.metrics import Metrics
from storage import Chat, Delivery, DeliveryStatus, Repository

log = logging.getLogger(__name__)

__all__ = ["HOUR", "Courier"]

HOUR = timedelta(hours=1)
# Refusals that end the alert: this message can never go (General closed too counts).
_FAILED = frozenset({Action.PLAIN, Action.REJECT, Action.TOPIC_GONE})


class Courier:
    def __init__(
        self,
        repo: Repository,
        sender: Sender,
        config: DeliveryConfig,
        drafting: Drafting,
        *,
        clock: Clock,
        metrics: Metrics | None = None,
    ) -> None:
        self._repo = repo
        self._metrics = metrics or Metrics()  # alerts sent and failed, their latency
        self._sender = sender
        self._config = config
        self._drafting = drafting
        self._clock = clock
        self._holding = Holding(repo, default_timezone=config.default_timezone)
        self._route = TopicRoute(repo, sender, clock=clock)
        self._loss = ChannelLoss(repo, sender)

    async def deliver(self, queued: Delivery) -> None:
        try:
            await self._deliver(queued)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not kill the worker, nor spin on one row
            log.exception("delivery %d: unexpected error", queued.id)
            await self._transient(queued, Outcome(Action.RETRY, f"internal error: {exc!r}"[:500]))

    async def _deliver(self, queued: Delivery) -> None:
        repo = self._repo
        delivery = await repo.deliveries.get(queued.id)
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return
        chat = await repo.chats.get(delivery.chat_id)
        if chat is None or not chat.active:
            await repo.deliveries.cancel(delivery.id, "inactive")
            return
        if chat.paused:
            await repo.deliveries.cancel(delivery.id, "paused")
            return
        item = await repo.items.get(delivery.item_id)
        if item is None:
            await repo.deliveries.cancel(delivery.id, "item gone")
            return
        now = self._clock()
        if await self._holding.hold(delivery, chat, now):
            return
        if await repo.deliveries.sent_since(chat.id, now - HOUR) >= self._config.alerts_per_hour:
            await repo.deliveries.mark_held(delivery.id)
            log.info("delivery %d to chat %d held back by the flood guard", delivery.id, chat.id)
            return
        # Later reports of the story that joined while this alert was queued go out with it.
        shown = delivery.edits_wanted
        message = await self._drafting.draft(delivery, item, chat)
        thread = delivery.thread_id
        result = await self._route.send(
            chat, thread, message.html, ParseMode.HTML, message.keyboard
        )
        if isinstance(result, Outcome) and result.action is Action.PLAIN:
            log.warning(
                "delivery %d to chat %d: %s; sending as plain text",
                delivery.id,
                chat.id,
                result.reason,
            )
            result = await self._route.send(chat, thread, message.plain, None, message.keyboard)
            if isinstance(result, Outcome) and result.action in _FAILED:
                await shielded(repo.deliveries.mark_failed(delivery.id, result.reason))
                self._metrics.alerts_failed.inc()
                log.warning(
                    "delivery %d failed: %s",
                    delivery.id,
                    result.reason,
                    extra=delivery_ids(delivery),
                )
                return
        if result is None:
            return  # stopping before the send: the row stays pending
        if isinstance(result, Message):
            await shielded(
                repo.deliveries.mark_sent(
                    delivery.id, result.message_id, self._clock(), shown=shown
                )
            )
            self._metrics.alert_sent(item.published_at, self._clock())
            log.info("delivery %d sent", delivery.id, extra=delivery_ids(delivery))
            return
        await self._refused(delivery, chat, result)

    async def _refused(self, delivery: Delivery, chat: Chat, outcome: Outcome) -> None:
        repo = self._repo
        if outcome.action is Action.FLOOD:
            log.warning(
                "delivery %d to chat %d: flood control, retry in %.0f s",
                delivery.id,
                chat.id,
                outcome.retry_after,
            )
            self._sender.flood(outcome.retry_after, chat.id)
            when = self._clock() + timedelta(seconds=outcome.retry_after)
            await shielded(repo.deliveries.postpone(delivery.id, when))
        elif outcome.action is Action.CHAT_GONE:
            cancelled = await shielded(
                repo.deactivate_chat(chat.id, outcome.reason, self._clock())
            )
            log.warning(
                "chat %d deactivated (%s); %d deliveries cancelled",
                chat.id,
                outcome.reason,
                cancelled,
            )
            await self._loss.tell_managers(chat)
        elif outcome.action in _FAILED:
            await shielded(repo.deliveries.mark_failed(delivery.id, outcome.reason))
            self._metrics.alerts_failed.inc()
            log.warning(
                "delivery %d failed: %s", delivery.id, outcome.reason, extra=delivery_ids(delivery)
            )
        else:
            await self._transient(delivery, outcome)

    async def _transient(self, delivery: Delivery, outcome: Outcome) -> None:
        attempts = delivery.attempts + 1
        if attempts >= self._config.max_attempts:
            await shielded(self._repo.deliveries.mark_failed(delivery.id, outcome.reason))
            self._metrics.alerts_failed.inc()
            log.warning(
                "delivery %d failed after %d attempts: %s",
                delivery.id,
                attempts,
                outcome.reason,
                extra=delivery_ids(delivery),
            )
            return
        delay = self._config.backoff.delay(attempts)
        when = self._clock() + timedelta(seconds=delay)
        await shielded(self._repo.deliveries.mark_retry(delivery.id, outcome.reason, when))
        log.warning(
            "delivery %d attempt %d failed (%s); retry in %.1f s",
            delivery.id,
            attempts,
            outcome.reason,
            delay,
        )
