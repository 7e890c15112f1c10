"""One sending budget for every message the bot sends: command replies, edits and alerts.

Telegram counts all of a bot's messages against the same limits, so they must queue for the
same slots: replies paced apart from alerts would each stay under the limit and together go
over it (hundreds of refused replies when 300 chats subscribe at once). `SendBudget` owns the
one `RateLimiter` and hands out slots:

- in priority order: a waiting reply (`Priority.REPLY`) is served before any queued alert
  (`Priority.BULK`), first come first served within a priority;
- per chat: a waiter whose chat is not ready (its 1/s spacing, a group's 20/min, a send to it
  still in flight) does not hold up the waiters behind it, so one chat's load never delays
  another chat beyond the shared overall rate;
- after a 429 (`pause_all`), nobody is served until it has passed.

Waiting is event driven: a grant happens when a slot frees (`release`), when a waiter arrives,
or on a timer set for the moment the next waiter becomes ready. The decisions themselves read
the limiter's injected clock, so tests move a fake clock and call `poke()`.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import itertools
import time
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from enum import IntEnum
from types import TracebackType

from bot.delivery.limits import ChatKey, DeliveryLimits, Monotonic, RateLimiter

__all__ = ["Permit", "Priority", "SendBudget", "admitted"]

# Set while a request that already holds a slot is on its way, so the request middleware
# does not make it queue a second time (the delivery worker takes its slots itself).
_ADMITTED: ContextVar[bool] = ContextVar("send_budget_admitted", default=False)


def admitted() -> bool:
    """True inside a `Permit` block: this request's slot is already taken."""
    return _ADMITTED.get()


class Priority(IntEnum):
    REPLY = 0  # a person is waiting for it: commands, button presses
    BULK = 1  # alerts: they may wait behind replies


@dataclass(order=True)
class _Waiter:
    priority: int
    seq: int
    chat_id: ChatKey | None = field(compare=False)
    future: asyncio.Future[None] = field(compare=False)


class Permit:
    """One granted slot. Use as `with permit:` around the one request it pays for."""

    def __init__(self, budget: SendBudget, chat_id: ChatKey | None, is_group: bool) -> None:
        self._budget = budget
        self.chat_id = chat_id
        self.is_group = is_group
        self._done = False
        self._token: Token[bool] | None = None

    def __enter__(self) -> Permit:
        self._token = _ADMITTED.set(True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _ADMITTED.reset(self._token)
            self._token = None
        self.release()

    def release(self) -> None:
        """The request finished (answered, refused or failed): start the chat's spacing."""
        if not self._done:
            self._done = True
            self._budget.release(self.chat_id, is_group=self.is_group)

    def abandon(self) -> None:
        """Nothing was sent with this slot after all: give it back without spacing the chat."""
        if not self._done:
            self._done = True
            self._budget.abandon(self.chat_id)


class SendBudget:
    """The one gate between the bot and Telegram's message limits; see the module docstring."""

    def __init__(self, limits: DeliveryLimits, clock: Monotonic = time.monotonic) -> None:
        self.limiter = RateLimiter(limits, clock)
        self._waiters: list[_Waiter] = []  # sorted by (priority, arrival)
        self._seq = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    @property
    def limits(self) -> DeliveryLimits:
        return self.limiter.limits

    def waiting(self) -> int:
        return sum(1 for w in self._waiters if not w.future.done())

    def chat_delay(self, chat_id: ChatKey) -> float:
        return self.limiter.chat_delay(chat_id)

    async def acquire(
        self,
        chat_id: ChatKey | None,
        *,
        is_group: bool,
        priority: Priority = Priority.REPLY,
        cancel: asyncio.Event | None = None,
    ) -> Permit | None:
        """Wait for a slot to send one message to `chat_id` (None: counted overall only).

        Returns None if `cancel` is set first. If the caller is cancelled after the slot was
        granted, the slot is given back.
        """
        loop = asyncio.get_running_loop()
        waiter = _Waiter(int(priority), next(self._seq), chat_id, loop.create_future())
        bisect.insort(self._waiters, waiter)
        self._pump()
        try:
            if cancel is None:
                await waiter.future
            else:
                stop: asyncio.Future[None] = asyncio.ensure_future(self._until(cancel))
                try:
                    await asyncio.wait((waiter.future, stop), return_when=asyncio.FIRST_COMPLETED)
                finally:
                    stop.cancel()
                if not waiter.future.done():
                    self._withdraw(waiter)
                    return None
        except BaseException:
            if waiter.future.done() and not waiter.future.cancelled():
                self.abandon(chat_id)
            else:
                self._withdraw(waiter)
            raise
        return Permit(self, chat_id, is_group)

    @staticmethod
    async def _until(event: asyncio.Event) -> None:
        await event.wait()

    def release(self, chat_id: ChatKey | None, *, is_group: bool) -> None:
        self.limiter.record(chat_id, is_group=is_group)
        self._pump()

    def abandon(self, chat_id: ChatKey | None) -> None:
        self.limiter.abandon(chat_id)
        self._pump()

    def pause_all(self, seconds: float) -> None:
        """Telegram answered 429: every message waits `seconds`, replies and alerts alike."""
        self.limiter.pause_all(seconds)
        self._pump()

    def pause_chat(self, chat_id: ChatKey, seconds: float) -> None:
        self.limiter.pause_chat(chat_id, seconds)
        self._pump()

    def poke(self) -> None:
        """Re-check now (tests call it after moving a fake clock)."""
        self._pump()

    def close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    # -- granting ------------------------------------------------------------------------

    def _withdraw(self, waiter: _Waiter) -> None:
        with contextlib.suppress(ValueError):
            self._waiters.remove(waiter)
        if not waiter.future.done():
            waiter.future.cancel()
        self._pump()

    def _pump(self) -> None:
        """Grant every slot that may be used now; arm a timer for the next one."""
        self.close()
        while self._waiters:
            overall = self.limiter.overall_delay()
            if overall > 0:
                self._arm(overall)
                return
            waiter, soonest = self._first_ready()
            if waiter is None:
                if soonest is not None:
                    self._arm(soonest)
                return
            self._waiters.remove(waiter)
            self.limiter.begin(waiter.chat_id)
            waiter.future.set_result(None)

    def _first_ready(self) -> tuple[_Waiter | None, float | None]:
        """The first waiter (priority, then arrival) whose chat may receive now; else how
        long until one may (None: only chats with a send in flight, their answer pumps)."""
        soonest: float | None = None
        stale: list[_Waiter] = []
        found: _Waiter | None = None
        for waiter in self._waiters:
            if waiter.future.done():
                stale.append(waiter)
                continue
            if waiter.chat_id is None:
                found = waiter
                break
            if self.limiter.busy(waiter.chat_id):
                continue
            delay = self.limiter.chat_delay(waiter.chat_id)
            if delay <= 0:
                found = waiter
                break
            soonest = delay if soonest is None else min(soonest, delay)
        for waiter in stale:
            self._waiters.remove(waiter)
        return found, soonest

    def _arm(self, delay: float) -> None:
        with contextlib.suppress(RuntimeError):  # no running loop: nobody can be waiting
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(max(delay, 0.001), self._pump)
