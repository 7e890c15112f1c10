"""The shared budget hands out message slots in the right order, read on a fake clock.

Grants are decided when something changes (a slot is released, a waiter arrives, `poke()`
after the clock moved), so these tests move the clock by hand and never sleep.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.delivery import DeliveryLimits, Permit, Priority, SendBudget
from tests.support.clock import FakeClock

ONE_PER_SECOND = DeliveryLimits(rate=1.0, burst=1.0, chat_interval=1.0, margin=0.0)


class Queue:
    """Tasks waiting for slots, and the order in which they got them."""

    def __init__(self, budget: SendBudget) -> None:
        self.budget = budget
        self.granted: list[str] = []
        self.permits: dict[str, Permit] = {}
        self.tasks: list[asyncio.Task[None]] = []

    def wait(self, name: str, chat_id: int, priority: Priority, *, group: bool = False) -> None:
        async def one() -> None:
            permit = await self.budget.acquire(chat_id, is_group=group, priority=priority)
            assert permit is not None
            self.granted.append(name)
            self.permits[name] = permit

        self.tasks.append(asyncio.create_task(one()))

    async def settle(self) -> None:
        for _ in range(5):
            await asyncio.sleep(0)

    def finish(self, name: str) -> None:
        self.permits[name].release()

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        self.budget.close()


async def test_a_waiting_reply_is_served_before_queued_alerts() -> None:
    clock = FakeClock()
    queue = Queue(SendBudget(ONE_PER_SECOND, clock.monotonic))
    for chat_id in (1, 2, 3):
        queue.wait(f"alert{chat_id}", chat_id, Priority.BULK)
    await queue.settle()
    queue.wait("reply", 9, Priority.REPLY)
    await queue.settle()
    assert queue.granted == ["alert1"]  # one slot a second: the others wait
    for _ in range(3):
        queue.finish(queue.granted[-1])
        clock.advance(1.0)
        queue.budget.poke()
        await queue.settle()
    assert queue.granted == ["alert1", "reply", "alert2", "alert3"]
    await queue.close()


async def test_a_chat_that_must_wait_does_not_hold_up_other_chats() -> None:
    clock = FakeClock()
    limits = DeliveryLimits(rate=100.0, burst=1.0, chat_interval=1.0, margin=0.05)
    queue = Queue(SendBudget(limits, clock.monotonic))
    queue.wait("busy chat, first", 1, Priority.REPLY)
    await queue.settle()
    queue.finish("busy chat, first")
    queue.wait("busy chat, second", 1, Priority.REPLY)
    queue.wait("busy chat, third", 1, Priority.REPLY)
    queue.wait("quiet chat", 2, Priority.REPLY)
    clock.advance(0.01)
    queue.budget.poke()
    await queue.settle()
    assert queue.granted == ["busy chat, first", "quiet chat"]
    clock.advance(1.05)
    queue.budget.poke()
    await queue.settle()
    assert queue.granted[-1] == "busy chat, second"
    await queue.close()


async def test_a_chat_gets_no_second_slot_while_its_first_send_is_in_flight() -> None:
    clock = FakeClock()
    limits = DeliveryLimits(rate=100.0, burst=1.0, chat_interval=1.0, margin=0.0)
    queue = Queue(SendBudget(limits, clock.monotonic))
    queue.wait("first", 5, Priority.REPLY)
    queue.wait("second", 5, Priority.REPLY)
    clock.advance(10.0)  # however long the answer takes, the chat is busy until it comes
    queue.budget.poke()
    await queue.settle()
    assert queue.granted == ["first"]
    queue.finish("first")
    clock.advance(1.0)
    queue.budget.poke()
    await queue.settle()
    assert queue.granted == ["first", "second"]
    await queue.close()


async def test_after_a_429_nobody_is_served_until_it_has_passed() -> None:
    clock = FakeClock()
    queue = Queue(SendBudget(DeliveryLimits(rate=100.0), clock.monotonic))
    queue.budget.pause_all(3.0)
    queue.wait("reply", 1, Priority.REPLY)
    queue.wait("alert", 2, Priority.BULK)
    clock.advance(2.9)
    queue.budget.poke()
    await queue.settle()
    assert queue.granted == []
    clock.advance(0.2)
    queue.budget.poke()
    await queue.settle()
    assert queue.granted == ["reply"]
    clock.advance(0.01)  # then at the budget's rate again, not all at once
    queue.budget.poke()
    await queue.settle()
    assert queue.granted == ["reply", "alert"]
    await queue.close()


async def test_a_group_gets_at_most_its_twenty_a_minute_from_replies_too() -> None:
    clock = FakeClock()
    limits = DeliveryLimits(rate=100.0, chat_interval=0.0, margin=0.0, group_per_window=20)
    queue = Queue(SendBudget(limits, clock.monotonic))
    for n in range(25):
        queue.wait(f"r{n}", -100, Priority.REPLY, group=True)
    for _ in range(40):
        await queue.settle()
        for name in list(queue.permits):
            queue.finish(name)
            del queue.permits[name]
        clock.advance(0.5)
        queue.budget.poke()
    await queue.settle()
    assert len(queue.granted) == 20  # the 21st waits for the minute to pass
    clock.advance(60.0)
    queue.budget.poke()
    await queue.settle()
    assert len(queue.granted) == 21
    await queue.close()


async def test_a_waiter_whose_cancel_event_fires_gets_no_slot_and_loses_nothing() -> None:
    clock = FakeClock()
    budget = SendBudget(ONE_PER_SECOND, clock.monotonic)
    first = await budget.acquire(1, is_group=False)
    assert first is not None
    stop = asyncio.Event()
    waiting = asyncio.create_task(budget.acquire(2, is_group=False, cancel=stop))
    await asyncio.sleep(0)
    stop.set()
    assert await waiting is None
    assert budget.waiting() == 0
    first.release()
    clock.advance(1.0)
    assert await budget.acquire(3, is_group=False) is not None  # the next one still gets one
    budget.close()


async def test_an_abandoned_slot_frees_the_chat_without_spacing_it() -> None:
    clock = FakeClock()
    budget = SendBudget(DeliveryLimits(rate=100.0, chat_interval=1.0), clock.monotonic)
    permit = await budget.acquire(7, is_group=False)
    assert permit is not None
    permit.abandon()
    assert budget.chat_delay(7) == 0.0
    clock.advance(0.1)
    again = await budget.acquire(7, is_group=False)
    assert again is not None
    again.release()
    assert budget.chat_delay(7) == pytest.approx(1.05)
    budget.close()


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    clock = FakeClock()
    budget = SendBudget(ONE_PER_SECOND, clock.monotonic)
    held = await budget.acquire(1, is_group=False)
    waiting = asyncio.create_task(budget.acquire(2, is_group=False))
    await asyncio.sleep(0)
    assert budget.waiting() == 1
    waiting.cancel()
    await asyncio.gather(waiting, return_exceptions=True)
    assert budget.waiting() == 0
    assert held is not None
    held.release()
    budget.close()
