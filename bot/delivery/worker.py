"""The one loop that turns pending deliveries into Telegram messages: it decides what goes when.

Guarantees and the reasons for each step:
- A delivery row is committed (pending) before anything is sent, and marked sent with the
  Telegram message id right after Telegram accepts it (`Courier`). Restarting over the same
  database therefore sends every pending row and never a sent one. The one window for a
  repeat: Telegram accepted the message and the process died (SIGKILL, power loss, or `stop()`
  giving up on a send still in flight after its grace period) before the `sent` UPDATE
  committed; the row is still pending and goes out again.
- Never two sends to one chat at once (`ChatLanes`), and each chat's queue goes oldest first;
  across chats, the oldest delivery whose chat may receive now goes first.
- A sent alert whose story gained sources is edited silently (`StoryEditor`), in the same
  lanes and budget, after whatever alerts may go now: a new push matters more than an update.
- Alerts held for a digest (quiet hours, hourly or daily: `bot.digests`) wait as pending rows
  outside the queue; their digest is a unit of its own, due at its moment, sent in the chat's
  lane like an alert (`DigestCourier`).
- Rate limits live in the `SendBudget` shared with command replies (one budget for every
  message the bot sends). A 429 still pauses everyone for its retry_after, because Telegram's
  flood control is per bot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

from aiogram import Bot

from bot.clock import Clock, utc_now, wait_for_event
from bot.delivery.announcer import HeldBackAnnouncer
from bot.delivery.budget import SendBudget
from bot.delivery.compose import Composer, KeyboardFactory, compose
from bot.delivery.config import DeliveryConfig
from bot.delivery.courier import Courier
from bot.delivery.digest_courier import DigestCourier
from bot.delivery.drafting import Drafting
from bot.delivery.editor import StoryEditor
from bot.delivery.lanes import ChatLanes
from bot.delivery.sender import Sender
from bot.matching import Analyzer
from bot.matching.offload import SlicedAnalysis
from bot.metrics import Metrics
from storage import Repository

__all__ = ["DeliveryWorker"]


class _ForChat(Protocol):
    @property
    def chat_id(self) -> int: ...


_Unit = TypeVar("_Unit", bound=_ForChat)


class DeliveryWorker:
    def __init__(
        self,
        bot: Bot,
        repo: Repository,
        analyzer: Analyzer,
        config: DeliveryConfig,
        budget: SendBudget,
        *,
        clock: Clock = utc_now,
        keyboard: KeyboardFactory | None = None,
        composer: Composer = compose,
        analysis: SlicedAnalysis | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        analysis = analysis or SlicedAnalysis()
        self._repo = repo
        self._config = config
        self._clock = clock
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self._stopped = asyncio.Event()
        self._running = False
        self._lanes = ChatLanes(on_free=self._wake.set)
        # The budget the bot's own requests go through, so alerts and replies share it.
        self._sender = Sender(
            bot, budget, request_timeout=config.request_timeout, stopping=self._stopping
        )
        # A new alert and an update of a sent one are drafted the same way.
        drafting = Drafting(
            repo,
            analyzer,
            composer=composer,
            keyboard=keyboard,
            analysis=analysis,
            default_timezone=config.default_timezone,
        )
        self._courier = Courier(repo, self._sender, config, drafting, clock=clock, metrics=metrics)
        self._digests = DigestCourier(repo, self._sender, config, clock=clock)
        self._editor = StoryEditor(repo, self._sender, config, drafting, clock=clock)
        self._announcer = HeldBackAnnouncer(
            repo, self._sender, alerts_per_hour=config.alerts_per_hour, clock=clock
        )

    def notify(self) -> None:
        """New deliveries were queued: look now instead of at the next scheduled wake-up."""
        self._wake.set()

    async def run(self) -> None:
        """Send until `stop()` (or cancellation); returns after in-flight sends are settled."""
        self._running = True
        self._stopped.clear()
        idle = self._config.idle_poll
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                wait = await self._pass()
                if self._stopping.is_set():
                    break
                if wait is None or wait > idle:
                    wait = idle
                if wait > 0:
                    await wait_for_event(self._wake, wait)
        finally:
            self._stopping.set()
            await self._lanes.settle(self._config.stop_grace)
            self._running = False
            self._stopped.set()

    async def stop(self) -> None:
        """Let in-flight sends finish (up to the grace period), then return."""
        self._stopping.set()
        self._wake.set()
        if self._running:
            await self._stopped.wait()
        else:
            await self._lanes.settle(self._config.stop_grace)

    async def drain_once(self) -> int:
        """Send everything due now (waiting out the limits), then return how many were handled.

        For one-shot tools and tests: deliveries scheduled for later (backoff, 429) stay queued.
        """
        handled = 0
        while not self._stopping.is_set():
            self._wake.clear()
            before = self._lanes.started
            wait = await self._pass(include_upcoming=False)
            started = self._lanes.started - before
            handled += started
            if started == 0 and not self._lanes and wait is None:
                return handled
            if self._lanes:
                await self._lanes.wait_any(wait)
            elif wait:
                await asyncio.sleep(wait)
        return handled

    def _start(
        self,
        due: Sequence[_Unit],
        work: Callable[[_Unit], Awaitable[None]],
        waits: list[float],
    ) -> None:
        """Start `work` for each due row (an alert, a digest, an edit) whose chat is free and
        may receive now, within the in-flight cap; a chat that must wait adds its delay to
        `waits`."""
        lanes = self._lanes
        for delivery in due:
            if len(lanes) >= self._config.max_in_flight or self._stopping.is_set():
                break
            if delivery.chat_id in lanes.busy:
                continue
            delay = self._sender.chat_delay(delivery.chat_id)
            if delay > 0:
                waits.append(delay)
                continue
            lanes.start(delivery.chat_id, work(delivery))

    async def _pass(self, *, include_upcoming: bool = True) -> float | None:
        """Start what may go now; return seconds until something blocked becomes sendable.

        With `include_upcoming`, also the time until the next scheduled row (retry, 429) if it
        is near. None: nothing to do soon (the caller sleeps until an idle poll or a notify).
        """
        config, lanes, sender = self._config, self._lanes, self._sender
        waits: list[float] = []
        for chat_id in await self._announcer.due(lanes.busy):
            if self._stopping.is_set():
                break
            delay = sender.chat_delay(chat_id)
            if delay > 0:
                waits.append(delay)
                continue
            lanes.start(chat_id, self._announcer.announce(chat_id))
        now = self._clock()
        limit = config.batch_size + len(lanes.busy)
        # Digests whose time came (quiet hours over, the hour struck): held news, oldest first.
        self._start(await self._repo.digests.due(now, limit), self._digests.deliver, waits)
        # New alerts first: a push matters more than an update of one already sent.
        self._start(
            await self._repo.deliveries.due_heads(now, limit), self._courier.deliver, waits
        )
        self._start(await self._repo.stories.due_edits(now, limit), self._editor.edit, waits)
        if lanes or waits:
            return min(waits, default=config.idle_poll)
        if not include_upcoming:
            return None
        upcoming = min(
            (
                at
                for at in (
                    await self._repo.deliveries.next_attempt_at(),
                    await self._repo.digests.next_attempt_at(),
                    await self._repo.stories.next_edit_at(),
                )
                if at is not None
            ),
            default=None,
        )
        if upcoming is not None:
            gap = (upcoming - self._clock()).total_seconds()
            if gap > 0:
                return None if gap > config.idle_poll else gap
        return None
