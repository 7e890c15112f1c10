"""Delivery throughput under Telegram's limits, against the Bot API stand-in on 127.0.0.1.

    .venv/bin/python bench/delivery.py [--alerts 5000] [--chats 1000] [--rate 28]

Queues `alerts` alerts for `chats` private chats (item-major, as a feed poll does), runs the
DeliveryWorker until the queue is empty with the stand-in enforcing 30 msg/s overall and
1 msg/s per chat, and prints the achieved rate as a share of the 30/s cap (target >= 90%) and
the number of 429s (target 0). For comparison, a naive sender (one message after another, as
fast as the answers come, no pacing) is run on a small sample in the same process.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Settings
from bot.delivery import DeliveryWorker
from bot.matching import Analyzer
from storage import NewDelivery, NewItem, Repository
from tests.support.botapi import BotApiStub
from tests.support.limits import Limits

TOKEN = "123456:" + "A" * 35
CAP = 30.0
TEXT = (
    "Москва. 2 февраля. INTERFAX.RU - Россия готова обсуждать возобновление прямого "
    "авиасообщения с США, говорится в заявлении главы МИД РФ Сергея Лаврова."
)


async def seed(repo: Repository, alerts: int, chats: int) -> None:
    now = datetime.now(UTC)
    for chat_id in range(1, chats + 1):
        await repo.chats.upsert(
            chat_id, type="private", title=None, language="ru", timezone="Europe/Moscow", now=now
        )
    await repo.feeds.sync_defaults(["http://127.0.0.1/feed"], now)
    feed = await repo.feeds.get_by_url("http://127.0.0.1/feed")
    assert feed is not None
    queued, n = 0, 0
    while queued < alerts:
        n += 1
        item = NewItem(
            f"g{n}", f"https://example.org/{n}", None, f"Новость {n}: Лавров", TEXT, now
        )
        (stored,) = await repo.items.insert_new(feed.id, [item], now)
        batch = [
            NewDelivery(chat_id, stored.id, (1,), ("Лавров",))
            for chat_id in range(1, min(chats, alerts - queued) + 1)
        ]
        queued += await repo.deliveries.enqueue(batch, now)


async def worker_run(alerts: int, chats: int, rate: float, analyzer: Analyzer) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = await Repository.open(f"sqlite:///{tmp}/bench.sqlite3")
        await seed(repo, alerts, chats)
        settings = Settings(_env_file=None, BOT_TOKEN=TOKEN, DELIVERY_RATE=rate)  # type: ignore[call-arg]
        async with BotApiStub(limits=Limits()) as stub:
            bot = stub.make_bot(TOKEN)
            worker = DeliveryWorker(bot, repo, settings, analyzer)
            started = time.perf_counter()
            task = asyncio.create_task(worker.run())
            await stub.wait_for(lambda: len(stub.messages()) >= alerts, timeout=alerts / 10 + 60)
            elapsed = time.perf_counter() - started
            await worker.stop()
            await task
            await bot.session.close()
            stamps = [m.at for m in stub.messages()]
            span = stamps[-1] - stamps[0]
            achieved = (len(stamps) - 1) / span if span > 0 else 0.0
            counts = await repo.deliveries.counts_by_status()
            print(
                f"worker: {len(stamps)} alerts to {chats} chats in {elapsed:.1f} s "
                f"(DELIVERY_RATE={rate:g})"
            )
            print(
                f"  achieved {achieved:.2f} msg/s = {achieved / CAP:.1%} of the {CAP:g}/s cap "
                f"(target >= 90%)"
            )
            print(f"  429s received: {stub.count_429} (target 0); final statuses: {counts}")
        await repo.close()


async def naive_run(sample: int) -> None:
    """The baseline: send back to back with no pacing, count what Telegram refuses."""
    async with BotApiStub(limits=Limits()) as stub:
        bot = stub.make_bot(TOKEN)
        started = time.perf_counter()
        refused = 0
        for n in range(sample):
            try:
                await bot.send_message(n % 50 + 1, f"alert {n}")
            except Exception:
                refused += 1
        elapsed = time.perf_counter() - started
        await bot.session.close()
        ok = len(stub.messages())
        print(
            f"naive baseline: {sample} sends in {elapsed:.1f} s, {ok} accepted, "
            f"{stub.count_429} refused with 429 ({refused / sample:.0%})"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=5000)
    parser.add_argument("--chats", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=28.0, help="DELIVERY_RATE for the worker")
    parser.add_argument("--naive", type=int, default=300, help="baseline sample size (0: skip)")
    args = parser.parse_args()
    if args.naive:
        await naive_run(args.naive)
    analyzer = Analyzer()
    await worker_run(args.alerts, args.chats, args.rate, analyzer)


if __name__ == "__main__":
    asyncio.run(main())
