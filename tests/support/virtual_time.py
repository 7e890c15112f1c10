"""An event loop whose clock jumps to the next timer instead of sleeping until it.

Delivery is paced in seconds (a message a second per chat, backoff, 429 pauses), so tests of
it would spend most of their time asleep. On this loop, whenever the loop is about to wait for
a timer and nothing else can happen first, `time()` jumps ahead to that timer at once. Every
timer-based wait (`asyncio.sleep`, `wait_for`, `call_later`, `asyncio.timeout`) then takes as
long as the work around it, while anything that reads `loop.time()` sees the seconds pass.

"Nothing else can happen" means: no socket is ready (the Bot API stand-in serves real HTTP on
127.0.0.1 in the same loop, and a loopback write is readable by the time `write()` returns),
no connection is being made, and no thread is working for the loop (executor jobs, and
aiosqlite's connection thread: see `TrackedQueue`). While any of those is pending, the loop
waits in real time, as usual.

Code under test must read time from the loop for this to mean anything: the budget and the
limiter take `loop_time`, the worker `loop_now` (tests/support/clock.py), and the stand-in
stamps calls with the loop's time.

A task that waits on timers forever (a lost cancellation, a loop with no exit) would make the
clock race ahead at full CPU instead of hanging quietly; past `limit` seconds ahead of real
time the loop raises `VirtualTimeExhausted` in the test instead.
"""

from __future__ import annotations

import asyncio
import queue
import selectors
import socket
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, TypeVar

__all__ = ["TrackedQueue", "VirtualTimeExhausted", "VirtualTimeLoop"]

T = TypeVar("T")


class _JumpingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    def __init__(self, loop: VirtualTimeLoop) -> None:
        super().__init__()
        self._loop = loop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None or timeout <= 0 or self._loop.waiting_outside():
            return super().select(timeout)  # type: ignore[no-any-return]
        ready = super().select(0)
        if not ready:
            self._loop.jump(timeout)
        return ready  # type: ignore[no-any-return]


class VirtualTimeExhausted(RuntimeError):
    pass


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """See the module docstring. `jumped` is how far ahead of real time the clock runs."""

    def __init__(self, limit: float = 600.0) -> None:
        self.jumped = 0.0
        self.limit = limit
        self._allowance = limit
        self._outside = 0  # connects and thread jobs the loop is waiting for
        super().__init__(_JumpingSelector(self))

    def time(self) -> float:
        return super().time() + self.jumped

    def jump(self, seconds: float) -> None:
        self.jumped += seconds
        if self.jumped > self.limit:
            self.limit = self.jumped + self._allowance  # the runner's cleanup gets as long
            raise VirtualTimeExhausted(
                f"the loop's clock ran {self.jumped:.0f} s ahead of real time: some task waits "
                "on timers forever (a swallowed cancellation?)"
            )

    def waiting_outside(self) -> bool:
        return self._outside > 0

    def expect_from_thread(self, future: asyncio.Future[Any]) -> None:
        """A thread will complete `future`: keep real time until it has."""
        self._outside += 1
        future.add_done_callback(self._arrived)

    def _arrived(self, _: asyncio.Future[Any]) -> None:
        self._outside -= 1

    def run_in_executor(  # type: ignore[override]
        self, executor: Executor | None, func: Callable[..., T], *args: Any
    ) -> asyncio.Future[T]:
        future = super().run_in_executor(executor, func, *args)
        self.expect_from_thread(future)
        return future

    async def sock_connect(self, sock: socket.socket, address: Any) -> None:
        self._outside += 1
        try:
            await super().sock_connect(sock, address)
        finally:
            self._outside -= 1


class TrackedQueue(queue.SimpleQueue[Any]):
    """aiosqlite's request queue (`aiosqlite.core.SimpleQueue`), telling a `VirtualTimeLoop`
    that its connection thread is now working on a request whose answer the loop awaits."""

    def put_nowait(self, item: Any) -> None:
        future = item[0] if isinstance(item, tuple) and item else None
        if isinstance(future, asyncio.Future):
            loop = future.get_loop()
            if isinstance(loop, VirtualTimeLoop):
                loop.expect_from_thread(future)
        super().put_nowait(item)
