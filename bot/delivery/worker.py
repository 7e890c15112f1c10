"""The one loop that turns pending deliveries into Telegram messages.

Guarantees and the reasons for each step:
- A delivery row is committed (pending) before anything is sent, and marked sent with the
  Telegram message id right after Telegram accepts it; that write is shielded from
  cancellation. Restarting over the same database therefore sends every pending row and never
  a sent one. The one window for a repeat: Telegram accepted the message and the process died
  (SIGKILL, power loss, or `stop()` giving up on a send still in flight after its grace period)
  before the `sent` UPDATE committed; the row is still pending and goes out again.
- Never two sends to one chat at once, and each chat's queue goes oldest first; across chats,
  the oldest delivery whose chat may receive now goes first.
- Rate limits live in the `SendBudget` shared with command replies (one budget for every
  message the bot sends); alerts queue there at `Priority.BULK`, behind waiting replies. A 429
  still pauses everyone for its retry_after, because Telegram's flood control is per bot.
- Paused or inactive chats at send time: the delivery is cancelled ("paused" / "inactive"),
  not kept: the pipeline stops queueing for such chats anyway, and a chat that resumes should
  not receive a backlog of stale alerts.
- Flood guard: a chat that already got `alerts_per_hour` alerts in the last hour gets the
  delivery marked held instead. Once its hour window has room again (and at most once an
  hour) it receives one «ещё N совпадений — /recent» message for the held ones; the held rows
  then carry that message's id, which is how each is announced exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.types import InlineKeyboardMarkup, Message

from bot.alerts import render_held_back
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.delivery.budget import Priority, SendBudget
from bot.delivery.compose import Composer, KeyboardFactory, compose
from bot.delivery.limits import DeliveryLimits
from bot.delivery.outcome import Action, Outcome, classify
from bot.matching import Analyzer
from bot.matching.offload import SlicedAnalysis
from storage import Chat, Delivery, DeliveryStatus, Repository

log = logging.getLogger(__name__)

__all__ = ["Backoff", "DeliveryWorker"]

HOUR = timedelta(hours=1)
_T = TypeVar("_T")


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff for transient failures: base, base*2, base*4 … capped."""

    base: float = 2.0
    cap: float = 600.0

    def delay(self, attempts: int) -> float:
        return min(self.cap, self.base * 2.0 ** max(attempts - 1, 0))


def _is_group(chat: Chat) -> bool:
    return chat.type in {"group", "supergroup"}


class DeliveryWorker:
    def __init__(
        self,
        bot: Bot,
        repo: Repository,
        settings: Settings,
        analyzer: Analyzer,
        *,
        clock: Clock = utc_now,
        keyboard: KeyboardFactory | None = None,
        composer: Composer = compose,
        budget: SendBudget | None = None,
        analysis: SlicedAnalysis | None = None,
        backoff: Backoff | None = None,
        batch_size: int = 200,
        max_in_flight: int = 64,
        request_timeout: int = 20,
        stop_grace: float = 1.5,
        idle_poll: float = 5.0,
    ) -> None:
        self._bot = bot
        self._repo = repo
        self._settings = settings
        self._analyzer = analyzer
        self._clock = clock
        self._keyboard = keyboard
        self._compose = composer
        # The running bot passes the budget its request middleware uses (bot/app.py).
        self._budget = budget or SendBudget(DeliveryLimits(rate=settings.delivery_rate))
        self._analysis = analysis or SlicedAnalysis()
        self._backoff = backoff or Backoff()
        self._batch = batch_size
        self._max_in_flight = max_in_flight
        self._request_timeout = request_timeout
        self._stop_grace = stop_grace
        self._idle_poll = idle_poll
        self._busy: set[int] = set()  # chats with a task in flight: one send per chat at a time
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._running = False
        self._stopped = asyncio.Event()
        self._announce_after: dict[int, datetime] = {}  # chat -> (wall) time of next try
        self._spawned = 0

    def notify(self) -> None:
        """New deliveries were queued: look now instead of at the next scheduled wake-up."""
        self._wake.set()

    async def run(self) -> None:
        """Send until `stop()` (or cancellation); returns after in-flight sends are settled."""
        self._running = True
        self._stopped.clear()
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                wait = await self._pass()
                if self._stopping.is_set():
                    break
                if wait is None or wait > self._idle_poll:
                    wait = self._idle_poll
                if wait > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), wait)
        finally:
            self._stopping.set()
            await self._settle()
            self._running = False
            self._stopped.set()

    async def stop(self) -> None:
        """Let in-flight sends finish (up to the grace period), then return."""
        self._stopping.set()
        self._wake.set()
        if self._running:
            await self._stopped.wait()
        else:
            await self._settle()

    async def drain_once(self) -> int:
        """Send everything due now (waiting out the limits), then return how many were handled.

        For tests and one-shot tools: deliveries scheduled for later (backoff, 429) stay queued.
        """
        handled = 0
        while not self._stopping.is_set():
            self._wake.clear()
            before = self._spawned
            wait = await self._pass(include_upcoming=False)
            started = self._spawned - before
            handled += started
            if started == 0 and not self._tasks and wait is None:
                return handled
            if self._tasks:
                await asyncio.wait(
                    set(self._tasks), timeout=wait, return_when=asyncio.FIRST_COMPLETED
                )
            elif wait:
                await asyncio.sleep(wait)
        return handled

    # -- scheduling ----------------------------------------------------------------------

    async def _pass(self, *, include_upcoming: bool = True) -> float | None:
        """Start what may go now; return seconds until something blocked becomes sendable.

        With `include_upcoming`, also the time until the next scheduled row (retry, 429) if it
        is near. None: nothing to do soon (the caller sleeps until an idle poll or a notify).
        """
        waits: list[float] = []
        await self._schedule_announcements(waits)
        now = self._clock()
        heads = await self._repo.deliveries.due_heads(now, self._batch + len(self._busy))
        for delivery in heads:
            if len(self._tasks) >= self._max_in_flight or self._stopping.is_set():
                break
            if delivery.chat_id in self._busy:
                continue
            delay = self._budget.chat_delay(delivery.chat_id)
            if delay > 0:
                waits.append(delay)
                continue
            self._spawn(delivery.chat_id, self._deliver(delivery))
        if self._tasks or waits:
            return min(waits, default=self._idle_poll)
        if not include_upcoming:
            return None
        upcoming = await self._repo.deliveries.next_attempt_at()
        if upcoming is not None:
            gap = (upcoming - self._clock()).total_seconds()
            if gap > 0:
                return None if gap > self._idle_poll else gap
        return None

    async def _schedule_announcements(self, waits: list[float]) -> None:
        held = await self._repo.deliveries.unannounced_held()
        for chat_id in held:
            if chat_id in self._busy or self._stopping.is_set():
                continue
            not_before = self._announce_after.get(chat_id)
            if not_before is not None and not_before > self._clock():
                continue  # a future time, not something blocked "now"
            free_at = await self._announce_free_at(chat_id)
            if free_at is not None and free_at > self._clock():
                self._announce_after[chat_id] = free_at
                continue
            delay = self._budget.chat_delay(chat_id)
            if delay > 0:
                waits.append(delay)
                continue
            self._spawn(chat_id, self._announce(chat_id))

    async def _announce_free_at(self, chat_id: int) -> datetime | None:
        """When the held alerts of `chat_id` may be announced: its window has room, ≤ 1/hour."""
        per_hour = self._settings.alerts_per_hour
        nth = await self._repo.deliveries.nth_latest_sent_at(chat_id, per_hour)
        last = await self._repo.deliveries.last_announced_at(chat_id)
        moments = [m + HOUR for m in (nth, last) if m is not None]
        return max(moments) if moments else None

    def _spawn(self, chat_id: int, work: Awaitable[None]) -> None:
        self._busy.add(chat_id)
        self._spawned += 1

        async def guarded() -> None:
            try:
                await work
            finally:
                self._busy.discard(chat_id)
                self._wake.set()

        task = asyncio.create_task(guarded(), name=f"delivery:{chat_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _settle(self) -> None:
        """Give in-flight sends the grace period, then cancel what is left (rows stay pending)."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=self._stop_grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)

    # -- one delivery --------------------------------------------------------------------

    async def _deliver(self, queued: Delivery) -> None:
        try:
            await self._deliver_checked(queued)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug must not kill the worker, nor spin on one row
            log.exception("delivery %d: unexpected error", queued.id)
            await self._transient(queued, Outcome(Action.RETRY, f"internal error: {exc!r}"[:500]))

    async def _deliver_checked(self, queued: Delivery) -> None:
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
        if await repo.deliveries.sent_since(chat.id, now - HOUR) >= self._settings.alerts_per_hour:
            await repo.deliveries.mark_held(delivery.id)
            log.info("delivery %d to chat %d held back by the flood guard", delivery.id, chat.id)
            return
        # Highlighting analyses the whole item; a huge one is analysed in slices first (the
        # shared word cache then serves `compose`), so its alert never freezes other chats.
        await self._analysis.document(self._analyzer, f"{item.title}\n\n{item.text}")
        message = self._compose(
            delivery,
            item,
            chat,
            self._analyzer,
            default_timezone=self._settings.default_timezone,
            keyboard=self._keyboard,
        )
        result = await self._send(chat, message.html, ParseMode.HTML, message.keyboard)
        if isinstance(result, Outcome) and result.action is Action.PLAIN:
            log.warning(
                "delivery %d to chat %d: %s; sending as plain text",
                delivery.id,
                chat.id,
                result.reason,
            )
            result = await self._send(chat, message.plain, None, message.keyboard)
            if isinstance(result, Outcome) and result.action in {Action.PLAIN, Action.REJECT}:
                await self._guarded(repo.deliveries.mark_failed(delivery.id, result.reason))
                log.warning("delivery %d failed: %s", delivery.id, result.reason)
                return
        if result is None:
            return  # stopping before the send: the row stays pending
        if isinstance(result, Message):
            await self._guarded(
                repo.deliveries.mark_sent(delivery.id, result.message_id, self._clock())
            )
            return
        await self._handle_failure(delivery, chat, result)

    async def _handle_failure(self, delivery: Delivery, chat: Chat, outcome: Outcome) -> None:
        repo = self._repo
        if outcome.action is Action.FLOOD:
            log.warning(
                "delivery %d to chat %d: flood control, retry in %.0f s",
                delivery.id,
                chat.id,
                outcome.retry_after,
            )
            self._budget.pause_all(outcome.retry_after)
            self._budget.pause_chat(chat.id, outcome.retry_after)
            when = self._clock() + timedelta(seconds=outcome.retry_after)
            await self._guarded(repo.deliveries.postpone(delivery.id, when))
        elif outcome.action is Action.CHAT_GONE:
            cancelled = await self._guarded(
                repo.chats.deactivate(chat.id, outcome.reason, self._clock())
            )
            log.warning(
                "chat %d deactivated (%s); %d deliveries cancelled",
                chat.id,
                outcome.reason,
                cancelled,
            )
        elif outcome.action is Action.REJECT:
            await self._guarded(repo.deliveries.mark_failed(delivery.id, outcome.reason))
            log.warning("delivery %d failed: %s", delivery.id, outcome.reason)
        else:
            await self._transient(delivery, outcome)

    async def _transient(self, delivery: Delivery, outcome: Outcome) -> None:
        attempts = delivery.attempts + 1
        if attempts >= self._settings.delivery_max_attempts:
            await self._guarded(self._repo.deliveries.mark_failed(delivery.id, outcome.reason))
            log.warning(
                "delivery %d failed after %d attempts: %s", delivery.id, attempts, outcome.reason
            )
            return
        delay = self._backoff.delay(attempts)
        when = self._clock() + timedelta(seconds=delay)
        await self._guarded(self._repo.deliveries.mark_retry(delivery.id, outcome.reason, when))
        log.warning(
            "delivery %d attempt %d failed (%s); retry in %.1f s",
            delivery.id,
            attempts,
            outcome.reason,
            delay,
        )

    # -- held-back announcement ----------------------------------------------------------

    async def _announce(self, chat_id: int) -> None:
        repo = self._repo
        retry_later = self._clock() + timedelta(seconds=60)
        try:
            chat = await repo.chats.get(chat_id)
            if chat is None or not chat.active or chat.paused:
                self._announce_after[chat_id] = retry_later
                return
            count = (await repo.deliveries.unannounced_held(chat_id)).get(chat_id, 0)
            if count == 0:
                return
            result = await self._send(
                chat, render_held_back(count, chat.language), ParseMode.HTML, None
            )
            if isinstance(result, Message):
                await self._guarded(
                    repo.deliveries.mark_announced(chat_id, result.message_id, self._clock())
                )
                self._announce_after.pop(chat_id, None)
                return
            if result is None:
                return
            if result.action is Action.CHAT_GONE:
                await self._guarded(repo.chats.deactivate(chat_id, result.reason, self._clock()))
                log.warning("chat %d deactivated (%s)", chat_id, result.reason)
                return
            if result.action is Action.FLOOD:
                self._budget.pause_all(result.retry_after)
                retry_later = self._clock() + timedelta(seconds=result.retry_after)
            log.warning("held-back notice to chat %d failed: %s", chat_id, result.reason)
            self._announce_after[chat_id] = retry_later
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("held-back notice to chat %d: unexpected error", chat_id)
            self._announce_after[chat_id] = retry_later

    # -- sending -------------------------------------------------------------------------

    async def _send(
        self,
        chat: Chat,
        text: str,
        parse_mode: ParseMode | None,
        markup: InlineKeyboardMarkup | None,
    ) -> Message | Outcome | None:
        """One request in a slot of the shared budget. None: stopping before anything was sent."""
        permit = await self._budget.acquire(
            chat.id, is_group=_is_group(chat), priority=Priority.BULK, cancel=self._stopping
        )
        if permit is None:
            return None
        if self._stopping.is_set():
            permit.abandon()
            return None
        with permit:
            try:
                return await self._bot.send_message(
                    chat.id,
                    text,
                    parse_mode=parse_mode,
                    reply_markup=markup,
                    # /settings "silent": alerts arrive without a sound, e.g. for a night feed
                    disable_notification=chat.alert_mode == "silent",
                    request_timeout=self._request_timeout,
                )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                return classify(exc)

    async def _guarded(self, write: Awaitable[_T]) -> _T:
        """Bookkeeping after a send survives cancellation: it is what prevents a repeat."""
        return await asyncio.shield(write)
