"""Delivery throughput under Telegram's limits, against a minimal Telegram on 127.0.0.1.

    .venv/bin/python bench/delivery.py [--alerts 5000] [--chats 1000] [--rate 28]

Queues `alerts` alerts for `chats` private chats (item-major, as a feed poll does), runs the
DeliveryWorker until the queue is empty with bench/telegram.py enforcing 30 msg/s overall and
1 msg/s per chat, and prints the achieved rate as a share of the 30/s cap (target >= 90%) and
the number of 429s (target 0). The bot is built as `python -m bot` builds it: every request
goes through the one message budget the worker shares with command replies, and every two
seconds a reply is sent to a fresh chat during the burst, to show how long a user waits
behind the alerts (replies go first). For comparison, a naive sender (one message after
another, as fast as the answers come, no pacing) is run on a small sample in the same process.
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

from bench.telegram import BenchTelegram
from bot.app import build_bot, build_budget
from bot.config import Settings
from bot.delivery import DeliveryConfig, DeliveryWorker
from bot.matching import Analyzer
from storage import NewDelivery, NewItem, Repository

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
        async with BenchTelegram() as stub:
            settings = Settings(
                _env_file=None, BOT_TOKEN=TOKEN, DELIVERY_RATE=rate, TELEGRAM_API_URL=stub.base_url
            )  # type: ignore[call-arg]
            budget = build_budget(settings)
            bot = build_bot(settings, budget)
            config = DeliveryConfig.from_settings(settings)
            worker = DeliveryWorker(bot, repo, analyzer, config, budget)
            started = time.perf_counter()
            task = asyncio.create_task(worker.run())
            waits: list[float] = []
            probe = chats + 1

            def sent_alerts() -> list[float]:
                return [m.at for m in stub.messages() if m.chat_id <= chats]

            while len(sent_alerts()) < alerts:
                await asyncio.sleep(2.0)
                asked = time.perf_counter()
                await bot.send_message(probe, "reply")
                waits.append(time.perf_counter() - asked)
                probe += 1
                if time.perf_counter() - started > alerts / 10 + 60:
                    break
            elapsed = time.perf_counter() - started
            await worker.stop()
            await task
            await bot.session.close()
            stamps = sent_alerts()
            span = stamps[-1] - stamps[0]
            # Replies share the budget, so the cap is measured on every message in the span.
            sent = [m.at for m in stub.messages() if stamps[0] <= m.at <= stamps[-1]]
            achieved = (len(sent) - 1) / span if span > 0 else 0.0
            counts = await repo.deliveries.counts_by_status()
            print(
                f"worker: {len(stamps)} alerts to {chats} chats in {elapsed:.1f} s "
                f"(DELIVERY_RATE={rate:g})"
            )
            print(
                f"  achieved {achieved:.2f} msg/s = {achieved / CAP:.1%} of the {CAP:g}/s cap "
                f"(target >= 90%), of which alerts {(len(stamps) - 1) / span:.2f}/s"
            )
            print(f"  429s received: {stub.count_429} (target 0); final statuses: {counts}")
            if waits:
                print(
                    f"  {len(waits)} replies sent during the burst waited "
                    f"max {max(waits) * 1000:.0f} ms, mean {sum(waits) / len(waits) * 1000:.0f} ms"
                )
        await repo.close()


async def naive_run(sample: int) -> None:
    """The baseline: send back to back with no pacing, count what Telegram refuses."""
    async with BenchTelegram() as stub:
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
