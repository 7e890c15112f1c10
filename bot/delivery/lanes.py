"""One lane per chat: never two sends to one chat at once, each send in a task of its own."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

__all__ = ["ChatLanes"]


class ChatLanes:
    def __init__(self, on_free: Callable[[], None]) -> None:
        self._on_free = on_free  # a lane freed up: the scheduler may start that chat's next
        self._busy: set[int] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.started = 0  # tasks ever started (`drain_once` counts what one pass began)

    @property
    def busy(self) -> set[int]:
        return self._busy

    def __len__(self) -> int:
        return len(self._tasks)

    def start(self, chat_id: int, work: Awaitable[None]) -> None:
        self._busy.add(chat_id)
        self.started += 1

        async def in_lane() -> None:
            try:
                await work
            finally:
                self._busy.discard(chat_id)
                self._on_free()

        task = asyncio.create_task(in_lane(), name=f"delivery:{chat_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait_any(self, at_most: float | None) -> None:
        """Until one send finishes (or `at_most` seconds)."""
        if self._tasks:
            await asyncio.wait(
                set(self._tasks), timeout=at_most, return_when=asyncio.FIRST_COMPLETED
            )

    async def settle(self, grace: float) -> None:
        """Give running sends `grace` seconds, then cancel what is left (rows stay pending)."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
