"""Poll N feeds served on 127.0.0.1 and report wall time, peak memory and event-loop lag.

    python bench/polling.py [--feeds 500] [--items 30] [--parse process|thread|both]

Each feed is a slice of a real Lenta.ru snapshot with its own guids and links. Two runs over
the same server, measured in the same process:
  naive   — fetch one feed after another and parse on the event loop (what a simple bot
            does), then store and match with the same Ingestor;
  poller  — the bot's FeedPoller: 20 fetches at once, one parse at a time in a worker
            process (the bot's ParsePool), or in a thread with `--parse thread` (as before);
            `--parse both` runs the two one after the other.
Both store every item and match it against 100 chats x 3 subscriptions (feeds primed).
A ticker task sleeps 10 ms at a time and records how late it wakes up: that lateness is what
a user's command would wait while feeds are being parsed. Target: worst lag under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.feeds import Fetcher, FetchLimits, ParsePool, make_session, parse_feed  # noqa: E402
from bot.matching import Analyzer  # noqa: E402
from bot.pipeline import Ingestor  # noqa: E402
from bot.poller import FeedPoller, new_items  # noqa: E402
from bot.subscriptions import SubscriptionService  # noqa: E402
from storage import Repository  # noqa: E402

SNAPSHOT = ROOT / "tests" / "data" / "feeds" / "lenta-2022-12-03.xml"
QUERIES = ["Лавров", "санкц*", "Украина", '"потолок цен"', "нефть -ОПЕК", "ЕС OR НАТО", "G20"]


def make_feeds(count: int, items: int) -> list[bytes]:
    text = SNAPSHOT.read_text("utf-8")
    head, _, rest = text.partition("<item>")
    entries = ["<item>" + e for e in rest.split("<item>")]
    entries[-1] = entries[-1].split("</channel>")[0]
    feeds = []
    for n in range(count):
        chosen = [entries[(n * 7 + i) % len(entries)] for i in range(items)]
        body = "".join(
            re.sub(r"(https://lenta\.ru/news/[^<\]\"]+?)/(</)", rf"\1-f{n}-{i}/\2", e)
            for i, e in enumerate(chosen)
        )
        feeds.append((head + body + "</channel></rss>").encode("utf-8"))
    return feeds


class LagMeter:
    def __init__(self) -> None:
        self.worst = 0.0
        self._stop = False

    async def run(self) -> None:
        while not self._stop:
            t = time.perf_counter()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.perf_counter() - t - 0.01)

    def stop(self) -> None:
        self._stop = True


async def serve(feeds: list[bytes], latency: float = 0.0) -> tuple[web.AppRunner, str]:
    async def handler(request: web.Request) -> web.Response:
        await asyncio.sleep(latency)  # a real news site answers in 0.1-1 s, not in 1 ms
        return web.Response(
            body=feeds[int(request.match_info["n"])], content_type="application/rss+xml"
        )

    app = web.Application()
    app.router.add_get("/feed/{n}", handler)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


async def setup(urls: list[str], db_path: Path) -> tuple[Repository, Ingestor]:
    """A database with 100 chats x 3 subscriptions and every feed primed (so items alert)."""
    repo = await Repository.open(f"sqlite:///{db_path}")
    analyzer = Analyzer()
    subs = SubscriptionService(repo, analyzer, max_per_chat=50)
    now = datetime.now(UTC)
    for chat in range(100):
        await repo.chats.upsert(
            chat, type="private", title=None, language="ru", timezone="UTC", now=now
        )
        for q in random.Random(chat).sample(QUERIES, 3):
            await subs.subscribe(chat, q, now)
    await repo.feeds.sync_defaults(urls, now - timedelta(seconds=1))
    for feed in await repo.feeds.all_wanted():
        await repo.feeds.record_success(
            feed.id, title=None, etag=None, last_modified=None, now=now, next_fetch_at=now
        )
    return repo, Ingestor(repo, subs)


async def naive(urls: list[str], db_path: Path) -> tuple[float, float, int]:
    """One feed after another, parsed on the event loop, then stored and matched the same way."""
    repo, ingestor = await setup(urls, db_path)
    meter = LagMeter()
    ticker = asyncio.create_task(meter.run())
    limits = FetchLimits()
    queued = 0
    start = time.perf_counter()
    async with make_session(limits) as session:
        fetcher = Fetcher(session, limits)
        for feed in await repo.feeds.all_wanted():
            result = await fetcher.fetch(feed.url)
            assert result.body is not None
            now = datetime.now(UTC)
            parsed = parse_feed(result.body, url=feed.url, content_type=None, fetched_at=now)
            result = await ingestor.ingest(feed.id, new_items(parsed), now, alert=True)
            queued += result.deliveries
    wall = time.perf_counter() - start
    meter.stop()
    await ticker
    await repo.close()
    return wall, meter.worst, queued


async def with_poller(
    urls: list[str], db_path: Path, *, processes: bool = True
) -> tuple[float, float, int, int]:
    repo, ingestor = await setup(urls, db_path)
    limits = FetchLimits()
    meter = LagMeter()
    ticker = asyncio.create_task(meter.run())
    start = time.perf_counter()
    async with make_session(limits) as session:
        fetcher = Fetcher(session, limits)
        parsing = ParsePool(1, processes=processes)
        poller = FeedPoller(
            repo,
            ingestor,
            for_defaults=fetcher,
            for_chat_feeds=fetcher,
            interval=3600,
            concurrency=20,
            parsing=parsing,
        )
        tasks = []
        while True:
            started = await poller.poll_due()
            if not started:
                break
            tasks.extend(started)
            await asyncio.gather(*started)
        parsing.close()
    wall = time.perf_counter() - start
    meter.stop()
    await ticker
    errors = sum(1 for t in tasks if t.result().error)
    queued = sum(t.result().deliveries for t in tasks)
    await repo.close()
    return wall, meter.worst, errors, queued


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.2, help="server delay, seconds")
    parser.add_argument(
        "--parse",
        choices=("process", "thread", "both"),
        default="both",
        help="where the poller parses: worker processes (the bot), a thread (as before), both",
    )
    parser.add_argument("--no-naive", action="store_true", help="skip the naive run")
    args = parser.parse_args()

    feeds = make_feeds(args.feeds, args.items)
    runner, base = await serve(feeds, args.latency)
    urls = [f"{base}/feed/{n}" for n in range(args.feeds)]
    size = sum(map(len, feeds)) / 1e6
    print(
        f"{args.feeds} feeds x {args.items} items ({size:.1f} MB) served on 127.0.0.1, "
        f"{args.latency * 1000:.0f} ms per response"
    )
    modes = ["thread", "process"] if args.parse == "both" else [args.parse]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            if not args.no_naive:
                naive_wall, naive_lag, queued = await naive(urls, Path(tmp) / "naive.sqlite3")
                print(
                    f"naive          : wall {naive_wall:6.1f} s, worst loop lag "
                    f"{naive_lag * 1000:7.1f} ms, {queued} alerts queued",
                    flush=True,
                )
            for mode in modes:
                wall, lag, errors, queued = await with_poller(
                    urls, Path(tmp) / f"poller-{mode}.sqlite3", processes=mode == "process"
                )
                print(
                    f"poller ({mode:>7}): wall {wall:6.1f} s, worst loop lag {lag * 1000:7.1f} ms "
                    f"(target < 100 ms), {errors} errors, {queued} alerts queued",
                    flush=True,
                )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the process (all runs; parse workers not counted): {peak:.0f} MiB")
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
