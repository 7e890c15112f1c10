"""Telegram's sending limits, kept on our side so that Telegram never has to enforce them.

Everything is bookkeeping over monotonic seconds read from an injected clock: the limiter says
how long to wait and the caller sleeps, so tests drive it with a fake clock and no sleeps.

Why the shapes below:
- Overall: a token bucket (GCRA) at `rate` with room for `burst` messages. Telegram (and the
  test stand-in) count a sliding one-second window; a bucket holds any one-second window to
  `burst + rate` sends, so rate 28 and burst 1.5 stay at 29, one under the cap of 30, leaving
  room for jitter between our clock and the server's. A little burst keeps a late wake-up of
  the event loop from costing throughput.
- Per chat: the next message waits `chat_interval + margin` after the previous one *finished*
  (response received), not after it started: the server saw the previous one no later than we
  got its answer, so measuring from there keeps the gap on the server's side too.
- Groups additionally: at most `group_per_window` in `group_window` seconds, same reasoning.
- Overall, a hard guard on top of the bucket: a send may start only while fewer than
  `window_cap` sends are in flight or finished less than `window` seconds ago. A message's
  arrival at the server lies between its start and its completion, so this bound holds on the
  server's clock whatever the latency or event-loop stalls; the bucket alone measured at our
  start times let a stalled loop (ours or the server's) squeeze 31 arrivals into one second.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

Monotonic = Callable[[], float]

__all__ = ["ChatKey", "DeliveryLimits", "Monotonic", "RateLimiter"]


@dataclass(frozen=True)
class DeliveryLimits:
    rate: float = 25.0
    burst: float = 1.5
    chat_interval: float = 1.0
    group_per_window: int = 20
    group_window: float = 60.0
    margin: float = 0.05
    window_cap: int = 30
    window: float = 1.0

    def __post_init__(self) -> None:
        if self.rate <= 0 or self.burst < 1 or self.chat_interval < 0 or self.margin < 0:
            raise ValueError(f"invalid delivery limits: {self}")
        if self.group_per_window < 1 or self.group_window <= 0 or self.window_cap < 1:
            raise ValueError(f"invalid delivery limits: {self}")


ChatKey = int | str  # a chat id, or "@channelname" as the Bot API also accepts


@dataclass
class _ChatState:
    ready_at: float = 0.0
    busy: bool = False  # a send to this chat is in flight
    group_sends: deque[float] = field(default_factory=deque)


class RateLimiter:
    """Overall token bucket, hard window and per-chat spacing; never sleeps itself.

    A sender asks `overall_delay()` and `chat_delay()`, calls `begin()` when both are zero and
    `record()` when the answer came. `SendBudget` is the one caller in the running bot.
    """

    _PRUNE_EVERY = 512

    def __init__(self, limits: DeliveryLimits, clock: Monotonic = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._interval = 1.0 / limits.rate
        self._tolerance = (limits.burst - 1.0) * self._interval
        self._tat = clock()  # GCRA "theoretical arrival time" of the next message
        self._paused_until = 0.0
        self._chats: dict[ChatKey, _ChatState] = {}
        self._records = 0
        self._in_flight = 0
        self._finished: deque[float] = deque()  # completion times within the last window

    def now(self) -> float:
        return self._clock()

    def overall_delay(self) -> float:
        """Seconds until one more send may start overall: pause, bucket and window (0: now)."""
        now = self._clock()
        bucket = max(self._paused_until, self._tat - self._tolerance) - now
        return max(bucket, self.window_delay(), 0.0)

    def chat_delay(self, chat_id: ChatKey) -> float:
        """Seconds until `chat_id` may receive its next message (0 when it may now).

        A chat with a send in flight is not ready either; it becomes ready at `record`, so the
        spacing is measured from the server's side (see the module docstring).
        """
        state = self._chats.get(chat_id)
        if state is None:
            return 0.0
        now = self._clock()
        ready = state.ready_at
        if state.busy:
            ready = max(ready, now + self.limits.chat_interval + self.limits.margin)
        sends = state.group_sends
        window = self.limits.group_window + self.limits.margin
        while sends and sends[0] <= now - window:
            sends.popleft()
        if len(sends) >= self.limits.group_per_window:
            ready = max(ready, sends[len(sends) - self.limits.group_per_window] + window)
        return max(0.0, ready - now)

    def busy(self, chat_id: ChatKey) -> bool:
        state = self._chats.get(chat_id)
        return state is not None and state.busy

    def window_delay(self) -> float:
        """Seconds until the hard overall window lets one more send start (0: now)."""
        now = self._clock()
        finished = self._finished
        while finished and finished[0] <= now - self.limits.window:
            finished.popleft()
        if self._in_flight + len(finished) < self.limits.window_cap:
            return 0.0
        if not finished:
            return 0.005  # every slot is held by a send still in flight: its answer frees one
        return max(finished[0] + self.limits.window - now, 0.0) + 1e-6

    def begin(self, chat_id: ChatKey | None) -> None:
        """A send starts now: it takes a bucket slot and holds the window (and its chat)."""
        now = self._clock()
        self._tat = max(self._tat, now, self._paused_until) + self._interval
        self._in_flight += 1
        if chat_id is not None:
            self._chats.setdefault(chat_id, _ChatState()).busy = True

    def record(self, chat_id: ChatKey | None, *, is_group: bool) -> None:
        """The send started by `begin` finished (accepted or not): space the next one."""
        now = self._clock()
        self._in_flight = max(self._in_flight - 1, 0)
        self._finished.append(now)
        if chat_id is not None:
            state = self._chats.setdefault(chat_id, _ChatState())
            state.busy = False
            state.ready_at = max(
                state.ready_at, now + self.limits.chat_interval + self.limits.margin
            )
            if is_group:
                state.group_sends.append(now)
        self._records += 1
        if self._records % self._PRUNE_EVERY == 0:
            self._prune(now)

    def abandon(self, chat_id: ChatKey | None) -> None:
        """A slot was granted but nothing was sent (the sender stopped): free it unspaced."""
        self._in_flight = max(self._in_flight - 1, 0)
        state = self._chats.get(chat_id) if chat_id is not None else None
        if state is not None:
            state.busy = False

    def pause_all(self, seconds: float) -> None:
        """Telegram's flood control answered (429): nobody sends until it has passed."""
        now = self._clock()
        self._paused_until = max(self._paused_until, now + max(seconds, 0.0))
        self._tat = max(self._tat, self._paused_until)

    def pause_chat(self, chat_id: ChatKey, seconds: float) -> None:
        state = self._chats.setdefault(chat_id, _ChatState())
        state.ready_at = max(state.ready_at, self._clock() + max(seconds, 0.0))

    def tracked_chats(self) -> int:
        return len(self._chats)

    def _prune(self, now: float) -> None:
        """Forget chats with nothing left to wait for, so memory follows the active chats."""
        window = self.limits.group_window + self.limits.margin
        idle = [
            chat_id
            for chat_id, state in self._chats.items()
            if not state.busy
            and state.ready_at <= now
            and (not state.group_sends or state.group_sends[-1] <= now - window)
        ]
        for chat_id in idle:
            del self._chats[chat_id]
