"""/healthz: 200 while the database answers, Telegram answers and the queue moves; else 503
naming what failed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from aiogram import Bot

from bot.health import HealthCheck, HealthPolicy, TelegramWatch, ops_routes, pending_count
from bot.metrics import Metrics
from storage import Repository
from tests.ops.ops_kit import ManualClock, get, queue_alerts, serving
from tests.support.botapi import TEST_TOKEN, BotApiStub

POLICY = HealthPolicy(telegram_quiet=60, probe_timeout=2, queue_stuck=600)


@dataclass
class Stand:
    repo: Repository
    stub: BotApiStub
    bot: Bot
    monotonic: ManualClock
    wall: list[datetime]
    worker: list[bool | None]
    url: str

    def now(self) -> datetime:
        return self.wall[0]


@pytest.fixture
async def stand(repo: Repository, stub: BotApiStub) -> AsyncIterator[Stand]:
    monotonic = ManualClock()
    metrics = Metrics()
    watch = TelegramWatch(metrics, monotonic)
    bot = stub.make_bot(TEST_TOKEN)
    bot.session.middleware(watch)
    wall = [datetime(2026, 2, 2, 10, 0, tzinfo=UTC)]
    worker: list[bool | None] = [True]
    health = HealthCheck(
        repo,
        bot,
        watch,
        worker_running=lambda: worker[0],
        policy=POLICY,
        clock=lambda: wall[0],
    )
    async with serving(ops_routes(health, metrics, pending_count(repo))) as url:
        yield Stand(repo, stub, bot, monotonic, wall, worker, url)
    await bot.session.close()


async def test_a_working_bot_is_healthy_and_says_which_checks_passed(stand: Stand) -> None:
    status, _, body = await get(stand.url + "/healthz")
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "telegram": "ok", "queue": "ok"},
    }


async def test_telegram_is_asked_only_when_it_has_been_quiet(stand: Stand) -> None:
    await stand.bot.get_me()  # any answer of the Bot API counts
    before = len(stand.stub.calls("getMe"))
    assert (await get(stand.url + "/healthz"))[0] == 200
    assert len(stand.stub.calls("getMe")) == before
    stand.monotonic.advance(61)
    assert (await get(stand.url + "/healthz"))[0] == 200
    assert len(stand.stub.calls("getMe")) == before + 1


async def test_the_bot_api_down_for_longer_than_the_threshold_fails_the_telegram_check(
    stand: Stand,
) -> None:
    await stand.bot.get_me()
    await stand.stub.close()
    stand.monotonic.advance(30)
    assert (await get(stand.url + "/healthz"))[0] == 200  # a short outage is not a failure
    stand.monotonic.advance(31)
    status, _, body = await get(stand.url + "/healthz")
    assert status == 503
    assert body is not None
    assert body["failed"] == ["telegram"]
    assert body["checks"]["telegram"].startswith("no answer for 61 s; getMe:")
    assert body["checks"]["database"] == "ok"


async def test_an_error_answer_still_shows_telegram_is_there(stand: Stand) -> None:
    stand.stub.fail_next("getMe", kind="429")
    stand.monotonic.advance(3600)
    status, _, _ = await get(stand.url + "/healthz")
    assert status == 200


async def test_a_database_that_does_not_answer_fails_the_database_check(stand: Stand) -> None:
    await stand.repo.close()
    status, _, body = await get(stand.url + "/healthz")
    assert status == 503
    assert body is not None
    assert body["failed"] == ["database", "queue"]
    assert body["checks"]["database"].startswith("no answer: ")
    assert body["checks"]["telegram"] == "ok"


async def test_an_alert_due_longer_than_the_threshold_while_the_worker_runs_is_a_stuck_queue(
    stand: Stand,
) -> None:
    await queue_alerts(stand.repo, stand.now(), [42], items=1)
    stand.wall[0] += timedelta(seconds=599)
    assert (await get(stand.url + "/healthz"))[0] == 200
    stand.wall[0] += timedelta(seconds=2)
    status, _, body = await get(stand.url + "/healthz")
    assert status == 503
    assert body is not None
    assert body["failed"] == ["queue"]
    assert body["checks"]["queue"] == "an alert has been due for 601 s and is not sent"
    stand.worker[0] = None  # not started yet (the bot is still connecting): nothing to judge
    assert (await get(stand.url + "/healthz"))[0] == 200


async def test_a_stopped_delivery_worker_fails_the_queue_check(stand: Stand) -> None:
    stand.worker[0] = False
    status, _, body = await get(stand.url + "/healthz")
    assert status == 503
    assert body is not None
    assert body["checks"]["queue"] == "the delivery worker is not running"


async def test_metrics_report_the_pending_queue_depth(stand: Stand) -> None:
    await queue_alerts(stand.repo, stand.now(), [42, 43], items=2)
    status, text, _ = await get(stand.url + "/metrics")
    assert status == 200
    assert "newsbot_queue_depth 4.0" in text.splitlines()


async def test_a_429_from_telegram_is_counted(stand: Stand) -> None:
    stand.stub.fail_next("getMe", kind="429")
    with pytest.raises(Exception, match="retry after"):
        await stand.bot.get_me()
    _, text, _ = await get(stand.url + "/metrics")
    assert "newsbot_telegram_429_total 1.0" in text.splitlines()
