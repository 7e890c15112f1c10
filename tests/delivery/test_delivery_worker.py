"""The delivery worker against the Bot API stand-in, through the real aiogram Bot over HTTP.

Each test queues alerts the way the pipeline does and checks what Telegram (the stand-in)
received and what the database says afterwards.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from dataclasses import replace
from typing import Any

from aiogram import Bot

from bot.delivery import Backoff, Composed, DeliveryWorker, compose
from bot.matching import Analyzer
from storage import DeliveryStatus, Repository
from tests.delivery.delivery_kit import Seeder, make_settings, make_worker, telegram_budget
from tests.support.botapi import BotApiStub
from tests.support.clock import FakeClock, loop_now
from tests.support.limits import Limits

ALICE, BOB, CAROL = 101, 202, 303


async def _statuses(repo: Repository) -> dict[str, int]:
    return await repo.deliveries.counts_by_status()


async def _run_until(worker: DeliveryWorker, condition: Any, within: float = 10.0) -> None:
    """Run the worker until `condition()` (a database check) holds, then stop it."""
    task = asyncio.create_task(worker.run())
    try:
        async with asyncio.timeout(within):
            while not await condition():  # noqa: ASYNC110 - polling the database, not an event
                await asyncio.sleep(0.02)
    finally:
        await worker.stop()
        await task


def _all_done(repo: Repository) -> Any:
    async def check() -> bool:
        counts = await _statuses(repo)
        return counts.get("pending", 0) == 0

    return check


async def test_an_alert_is_sent_as_html_and_marked_sent_with_telegrams_message_id(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    item_id = await seed.item()
    await seed.queue(ALICE, item_id, ("Лавров", "авиасообщение"))
    worker = make_worker(bot, repo, analyzer)
    assert await worker.drain_once() == 1
    (msg,) = stub.messages(ALICE)
    assert msg.parse_mode == "HTML"
    assert {"Лаврова", "авиасообщения"} <= set(msg.bold)
    assert any(url == f"https://www.interfax.ru/world/{item_id}" for _, url in msg.links)
    (delivery,) = await repo.deliveries.sent_to_chat(ALICE, offset=0, limit=5)
    assert (delivery.status, delivery.message_id) == (DeliveryStatus.SENT, msg.message_id)


async def test_alerts_go_oldest_first_within_a_chat_and_across_chats(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    for chat in (ALICE, BOB):
        await seed.chat(chat)
    items = await seed.alerts([ALICE, BOB], per_chat=3)
    # Telegram's pacing, as in the running bot: without it a chat's second alert could reach
    # the stand-in before the other chat's first under load, whatever order they started in.
    worker = make_worker(bot, repo, analyzer, budget=telegram_budget())
    await _run_until(worker, _all_done(repo))
    for chat in (ALICE, BOB):
        titles = [m.text.split("\n")[0] for m in stub.messages(chat)]
        assert titles == [f"Новость {n}: Лавров об авиасообщении" for n in range(1, 4)]
    # The first round reaches both chats before either chat's second alert.
    order = [(m.chat_id, m.text.split(":")[0]) for m in stub.messages()]
    assert {order[0][0], order[1][0]} == {ALICE, BOB}
    assert len(items) == 3


async def test_a_429_is_waited_out_and_the_alert_arrives_once(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    await seed.queue(ALICE, await seed.item())
    stub.fail_next("sendMessage", 1, "429", retry_after=1)
    worker = make_worker(bot, repo, analyzer)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await _run_until(worker, _all_done(repo))
    calls = stub.calls("sendMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0
    assert len(stub.messages(ALICE)) == 1
    assert loop.time() - started < 5
    (delivery,) = await repo.deliveries.sent_to_chat(ALICE, offset=0, limit=5)
    assert delivery.attempts == 1  # flood control is not the message's fault


async def test_a_blocked_chat_is_deactivated_and_its_other_alerts_cancelled(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    for chat in (ALICE, BOB):
        await seed.chat(chat)
    await seed.alerts([ALICE, BOB], per_chat=3)
    stub.block_chat(ALICE)
    worker = make_worker(bot, repo, analyzer)
    await _run_until(worker, _all_done(repo))
    alice = await repo.chats.get(ALICE)
    assert alice is not None and not alice.active
    assert "blocked" in (alice.inactive_reason or "")
    assert len(stub.messages(BOB)) == 3
    assert len([c for c in stub.calls("sendMessage") if c.chat_id == ALICE]) == 1
    assert await _statuses(repo) == {"sent": 3, "cancelled": 3}


async def test_chat_not_found_deactivates_the_chat_too(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(CAROL)
    await seed.queue(CAROL, await seed.item())
    stub.unknown_chat(CAROL)
    await make_worker(bot, repo, analyzer).drain_once()
    carol = await repo.chats.get(CAROL)
    assert carol is not None and not carol.active
    assert await _statuses(repo) == {"cancelled": 1}


async def test_a_dropped_connection_is_retried_and_the_alert_arrives_once(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    await seed.queue(ALICE, await seed.item())
    stub.fail_next("sendMessage", 1, "drop")
    await _run_until(make_worker(bot, repo, analyzer), _all_done(repo))
    assert [c.status for c in stub.calls("sendMessage")] == [0, 200]
    assert len(stub.messages(ALICE)) == 1
    (delivery,) = await repo.deliveries.sent_to_chat(ALICE, offset=0, limit=5)
    assert delivery.attempts == 2


async def test_server_errors_are_retried_with_backoff_then_marked_failed(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    await seed.queue(ALICE, await seed.item())
    stub.fail_next("sendMessage", 10, "502")
    worker = make_worker(
        bot,
        repo,
        analyzer,
        settings=make_settings(DELIVERY_MAX_ATTEMPTS=3),
        backoff=Backoff(base=1.2, cap=10.0),
    )

    async def failed() -> bool:
        return (await _statuses(repo)).get("failed", 0) == 1

    await _run_until(worker, failed)
    calls = stub.calls("sendMessage")
    assert [c.status for c in calls] == [502, 502, 502]
    gaps = [b.at - a.at for a, b in itertools.pairwise(calls)]
    assert gaps[0] >= 1.2 and gaps[1] >= 2.4  # exponential: 1.2 s, then 2.4 s
    delivery = await repo.deliveries.get(1)
    assert delivery is not None and delivery.attempts == 3
    assert "502" in (delivery.error or "") or "Bad Gateway" in (delivery.error or "")


async def test_a_message_telegram_cannot_parse_is_sent_once_more_as_plain_text(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Composed:
        good = compose(*args, **kwargs)
        return replace(good, html=good.html + "<unclosed>")

    await seed.chat(ALICE)
    await seed.queue(ALICE, await seed.item())
    await make_worker(bot, repo, analyzer, composer=broken).drain_once()
    calls = stub.calls("sendMessage")
    assert [(c.status, c.params.get("parse_mode")) for c in calls] == [(400, "HTML"), (200, None)]
    (msg,) = stub.messages(ALICE)
    assert msg.text.startswith("Новость 1") and "<" not in msg.text
    assert await _statuses(repo) == {"sent": 1}


async def test_per_chat_spacing_keeps_every_chat_at_one_message_a_second(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    stub.enable_limits(Limits())
    for chat in (ALICE, BOB):
        await seed.chat(chat)
    await seed.alerts([ALICE, BOB], per_chat=4)
    worker = make_worker(bot, repo, analyzer, budget=telegram_budget())
    await _run_until(worker, _all_done(repo), within=15)
    assert stub.count_429 == 0
    for chat in (ALICE, BOB):
        stamps = [m.at for m in stub.messages(chat)]
        assert len(stamps) == 4
        assert min(b - a for a, b in itertools.pairwise(stamps)) >= 1.0


async def test_the_flood_guard_holds_alerts_over_the_hourly_budget_and_announces_them_once(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer
) -> None:
    clock = FakeClock()
    seed = Seeder(repo, clock)
    await seed.chat(ALICE)
    await seed.alerts([ALICE], per_chat=5)
    worker = make_worker(
        bot, repo, analyzer, clock=clock, settings=make_settings(ALERTS_PER_HOUR=3)
    )
    await worker.drain_once()
    assert len(stub.messages(ALICE)) == 3
    assert await _statuses(repo) == {"sent": 3, "held": 2}

    clock.advance(minutes=30)  # the hour is not over: still nothing more
    await worker.drain_once()
    assert len(stub.messages(ALICE)) == 3

    clock.advance(minutes=31)
    await worker.drain_once()
    notice = stub.messages(ALICE)[-1]
    assert notice.text == "ещё 2 совпадения — /recent"

    clock.advance(hours=3)
    await worker.drain_once()
    assert len(stub.messages(ALICE)) == 4  # announced once, never again
    held = await repo.deliveries.sent_to_chat(ALICE, offset=0, limit=10)
    assert {d.message_id for d in held if d.status is DeliveryStatus.HELD} == {notice.message_id}


async def test_paused_and_inactive_chats_get_nothing_and_their_alerts_are_cancelled(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    await seed.chat(BOB)
    await seed.alerts([ALICE, BOB], per_chat=1)
    await repo.chats.set_paused(ALICE, True, seed.clock())
    await make_worker(bot, repo, analyzer).drain_once()
    assert stub.messages(ALICE) == []
    assert len(stub.messages(BOB)) == 1
    cancelled = await repo.deliveries.get(1)
    assert cancelled is not None and (cancelled.status, cancelled.error) == (
        DeliveryStatus.CANCELLED,
        "paused",
    )


async def test_notify_wakes_an_idle_worker_at_once(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    worker = make_worker(bot, repo, analyzer, idle_poll=30.0)
    task = asyncio.create_task(worker.run())
    await asyncio.sleep(0.2)  # let it find nothing and go to sleep
    await seed.queue(ALICE, await seed.item())
    worker.notify()
    await stub.wait_messages(ALICE, 1, timeout=2.0)
    await worker.stop()
    await task


async def test_stop_returns_promptly_even_with_a_backlog_and_a_hanging_send(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    await seed.alerts([ALICE], per_chat=5)
    stub.fail_next("sendMessage", 1, "hang", seconds=30)
    worker = make_worker(bot, repo, analyzer, stop_grace=1.0)
    task = asyncio.create_task(worker.run())
    await stub.wait_calls("sendMessage", 1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await worker.stop()
    await task
    assert loop.time() - started < 2.0
    assert (await _statuses(repo)).get("pending") == 5  # nothing lost, nothing marked


async def test_a_killed_worker_resumes_with_a_new_one_without_loss_or_repeat(
    stub: BotApiStub, bot: Bot, db_url: str, analyzer: Analyzer
) -> None:
    first_repo = await Repository.open(db_url)
    seed = Seeder(first_repo, loop_now)
    chats = [ALICE, BOB, CAROL]
    for chat in chats:
        await seed.chat(chat)
    await seed.alerts(chats, per_chat=4)
    task = asyncio.create_task(make_worker(bot, first_repo, analyzer).run())
    await stub.wait_for(lambda: len(stub.messages()) >= 5, timeout=10)
    task.cancel()  # as abrupt as asyncio gets: no stop()
    await asyncio.gather(task, return_exceptions=True)
    await first_repo.close()

    second_repo = await Repository.open(db_url)
    try:
        await _run_until(make_worker(bot, second_repo, analyzer), _all_done(second_repo))
        assert await _statuses(second_repo) == {"sent": 12}
    finally:
        await second_repo.close()
    received = Counter((m.chat_id, m.text.split(":")[0]) for m in stub.messages())
    assert len(received) == 12
    assert set(received.values()) == {1}


async def test_the_keyboard_factory_puts_buttons_under_the_alert(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    from bot.keyboards import alert_keyboard

    await seed.chat(ALICE)
    await seed.queue(ALICE, await seed.item(), ("Лавров", "авиасообщение"))
    await make_worker(bot, repo, analyzer, keyboard=alert_keyboard).drain_once()
    (msg,) = stub.messages(ALICE)
    assert [b["text"] for b in msg.buttons][-1] == "⋯"  # the tuning row (tests/tuning)
    assert all(b["callback_data"].startswith("t1:") for b in msg.buttons)


async def test_a_bug_in_rendering_costs_an_attempt_not_the_worker(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    def crash(*args: Any, **kwargs: Any) -> Composed:
        raise RuntimeError("renderer bug")

    await seed.chat(ALICE)
    await seed.queue(ALICE, await seed.item())
    worker: DeliveryWorker = make_worker(bot, repo, analyzer, composer=crash)
    assert await worker.drain_once() == 1  # the retry is scheduled for later: not drained
    delivery = await repo.deliveries.get(1)
    assert delivery is not None
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "renderer bug" in (delivery.error or "")
    assert stub.calls("sendMessage") == []


def test_backoff_doubles_up_to_its_cap() -> None:
    assert [Backoff(base=2.0, cap=20.0).delay(n) for n in range(1, 6)] == [2, 4, 8, 16, 20]


async def test_a_chat_in_silent_mode_gets_alerts_without_a_notification_sound(
    stub: BotApiStub, bot: Bot, repo: Repository, analyzer: Analyzer, seed: Seeder
) -> None:
    await seed.chat(ALICE)
    await seed.chat(BOB)
    await repo.chats.set_alert_mode(BOB, "silent", FakeClock()())
    item_id = await seed.item()
    await seed.queue(ALICE, item_id, ("Лавров",))
    await seed.queue(BOB, item_id, ("Лавров",))
    worker = make_worker(bot, repo, analyzer)

    assert await worker.drain_once() == 2

    silent = {c.chat_id: c.params.get("disable_notification") for c in stub.calls("sendMessage")}
    assert silent == {ALICE: False, BOB: True}
