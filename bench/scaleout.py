"""Throughput of one and of two `python -m bot` processes on one PostgreSQL, on the same load.

    .venv/bin/python bench/scaleout.py [--feeds 150] [--items 40] [--chats 2000] [--alerts 600]

Starts a throwaway PostgreSQL server (tests/support/postgres.py: initdb + pg_ctl), the Bot API
stand-in with Telegram's limits on (tests/support/botapi.py) and `feeds` RSS feeds on 127.0.0.1.
For each run (1 process, then 2) on a fresh database: `chats` chats with two subscriptions each
are written to the database before the start (one code word that some item carries, one that
none does: thousands of subscriptions to match against), every feed is read once with one old
item (the silent first fetch), then every feed publishes `items` new items at the same moment
(real Lenta.ru texts, so matching does real morphological work); `alerts` of them carry a chat's
code word. Measured from that moment, reading the database: every item stored (items table),
every alert queued (deliveries table), then every alert accepted by the stand-in.

Ingest and matching is the part that scales: each process fetches the feeds it claims and
matches what it stored. Sending does not, by design: one process (the leader) sends for the
whole bot under Telegram's 30 messages/s, so the send rate is printed against that cap.
On a machine with few cores the processes, PostgreSQL and the stand-in share them: the
printed core count says how far a ratio can go.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import Repository
from storage.models import ChatKind, Language
from tests.support.botapi import TEST_TOKEN, BotApiStub
from tests.support.feedserver import LocalServer, feed_response
from tests.support.paths import FEEDS
from tests.support.postgres import PostgresServer, running_server

REPO = Path(__file__).resolve().parents[1]
CAP = 30.0
FIRST_CHAT = 10_000  # chat j (from here) subscribes to c<j> and d<j>
_ITEM = re.compile(r"<item>.*?</item>", re.S)
_FIELD = re.compile(r"<(title|description)>(.*?)</\1>", re.S)


def lenta_texts() -> list[tuple[str, str]]:
    """(title, text) of the 200 real items of the Lenta.ru snapshot, unescaped."""
    document = (FEEDS / "lenta-2022-12-03.xml").read_text(encoding="utf-8")
    texts = []
    for item in _ITEM.findall(document):
        fields = dict(_FIELD.findall(item))
        texts.append((html.unescape(fields["title"]), html.unescape(fields["description"])))
    return texts


def rss(items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 document of (title, text, link) items, all published now."""
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    body = "".join(
        f"<item><title>{html.escape(t)}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>{now}</pubDate><description>{html.escape(x)}</description></item>"
        for t, x, link in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>wire</title>'
        f"<link>http://127.0.0.1/</link><description>bench</description>{body}</channel></rss>"
    ).encode()


class Wires:
    """`feeds` feeds: one old item each until `publish()`, then `items` more on top of it."""

    def __init__(self, feeds: int, items: int, alerts: int, chats: int) -> None:
        texts = lenta_texts()
        self.before: list[bytes] = []
        self.after: list[bytes] = []
        for f in range(feeds):
            old = (f"Архив {f}", texts[f % len(texts)][1], f"https://old.example/{f}")
            new = []
            for k in range(items):
                i = f * items + k
                title, text = texts[i % len(texts)]
                word = f"c{i % chats:05d}" if i < alerts else f"n{i:05d}"
                new.append((f"{title} ({word})", text, f"https://wire.example/{f}/{k}"))
            self.before.append(rss([old]))
            self.after.append(rss([*reversed(new), old]))
        self.requests = [0] * feeds
        self.published = False
        self._server = LocalServer({"/feed/{n}": self._handle})

    async def start(self) -> list[str]:
        await self._server.start()
        return [f"{self._server.url}/feed/{n}" for n in range(len(self.before))]

    async def close(self) -> None:
        await self._server.close()

    def publish(self) -> float:
        self.published = True
        return time.monotonic()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        n = int(request.match_info["n"])
        self.requests[n] += 1
        body = (self.after if self.published else self.before)[n]
        return feed_response(request, body, "application/rss+xml; charset=utf-8")


async def seed(url: str, chats: int) -> None:
    """Chats and their subscriptions, written before any process starts (and the schema)."""
    repo = await Repository.open(url)
    now = datetime.now(UTC)
    try:
        for j in range(chats):
            chat = FIRST_CHAT + j
            await repo.chats.upsert(
                chat,
                type=ChatKind.PRIVATE,
                title=None,
                language=Language.RU,
                timezone="UTC",
                now=now,
            )
            await repo.subscriptions.add(chat, f"c{j:05d}", now)
            await repo.subscriptions.add(chat, f"d{j:05d}", now)
    finally:
        await repo.close()


class Process:
    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        workdir.mkdir()
        self.log = workdir / "stderr.log"
        self.port = env["METRICS_LISTEN"].rsplit(":", 1)[1]
        with self.log.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=workdir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                start_new_session=True,  # killpg ends its parser workers too
            )

    def role(self) -> str | None:
        for line in reversed(self.log.read_text(errors="replace").splitlines()):
            if "standby" in line:
                return "standby"
            if "leads" in line:
                return "leads"
        return None

    def metric(self, name: str) -> float:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith(name + " "):
                    return float(line.split()[1])
        return float("nan")

    async def stop(self) -> None:
        """SIGTERM to the bot (it stops its own workers), waiting without blocking the loop:
        the stand-in and the feeds it may still talk to while stopping run in this loop.
        Whatever of its process group is left after 15 s is killed."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(self.proc.wait, 15)
            except subprocess.TimeoutExpired:
                print(f"pid {self.proc.pid} still running 15 s after SIGTERM: killed")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.asynccontextmanager
async def fresh_database(server: PostgresServer, name: str) -> AsyncIterator[str]:
    """tests/support/postgres.py's `fresh_database`, in this event loop (that one runs its
    own loop, for synchronous fixtures)."""
    admin = await asyncpg.connect(server.url("postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')
        yield server.url(name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@dataclass
class Result:
    stored: float  # seconds from publishing to every item in the items table
    queued: float  # … to every alert in the deliveries table
    sent: float  # … to the last alert the stand-in accepted
    rate: float  # alerts/s between the first and the last accepted alert
    count_429: int
    fetches: list[float] = field(default_factory=list)  # newsbot_feed_fetches_total each
    shares: list[float] = field(default_factory=list)  # newsbot_alerts_queued_total each


async def until(what: str, done: Callable[[], Awaitable[bool]], timeout: float) -> float:  # noqa: ASYNC109
    """Poll `done` every 100 ms; the monotonic time it first held."""
    began = time.monotonic()
    while not await done():
        if time.monotonic() - began > timeout:
            raise SystemExit(f"timed out after {timeout:.0f}s waiting for {what}")
        await asyncio.sleep(0.1)
    return time.monotonic()


def environment(
    url: str, feeds: list[str], telegram: str, home: str, args: argparse.Namespace
) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),
        "HOME": home,
        "BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": telegram,
        "DATABASE_URL": url,
        "FEEDS": ",".join(feeds),
        "POLL_INTERVAL_SECONDS": str(args.poll),
        "POLL_ADAPTIVE": "false",
        "STORY_WINDOW_HOURS": "0",  # every item alerts on its own: the count is exact
        "FULLTEXT_MIN_FEED_CHARS": "0",  # no article pages: the links lead nowhere
        "DELIVERY_RATE": str(args.rate),
        "ALERTS_PER_HOUR": "1000",
        "METRICS_LISTEN": f"127.0.0.1:{free_port()}",
    }


async def start(workdir: Path, env: dict[str, str]) -> Process:
    """One process, returned once it has said whether it leads or stands by."""
    process = Process(workdir, env)

    async def has_role() -> bool:
        if process.proc.poll() is not None:
            tail = process.log.read_text(errors="replace")[-2000:]
            raise SystemExit(f"process exited {process.proc.returncode}:\n{tail}")
        return process.role() is not None

    await until("a role", has_role, 60)
    return process


def at_least(conn: asyncpg.Connection, table: str, wanted: int) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        found = await conn.fetchval(f"SELECT count(*) FROM {table}")
        return int(found) >= wanted

    return check


async def run(server: PostgresServer, processes: int, args: argparse.Namespace) -> Result:
    """One measurement: `processes` processes on a fresh database, the same load each time."""
    wires = Wires(args.feeds, args.items, args.alerts, args.chats)
    urls = await wires.start()
    stub = await BotApiStub().start()
    stub.enable_limits()
    running: list[Process] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            async with fresh_database(server, f"bench{processes}_{os.getpid()}") as url:
                await seed(url, args.chats)
                for p in range(processes):
                    env = environment(url, urls, stub.base_url, tmp, args)
                    running.append(await start(Path(tmp) / f"bot{p}", env))
                roles = [p.role() for p in running]
                assert roles.count("leads") == 1, roles

                async def primed() -> bool:
                    return min(wires.requests) >= 2

                await until("every feed read twice", primed, 120)

                def alerted() -> list[float]:
                    return sorted(m.at for m in stub.messages() if m.chat_id >= FIRST_CHAT)

                async def sent() -> bool:
                    return len(alerted()) >= int(args.alerts)

                conn = await asyncpg.connect(url)
                try:
                    items = args.feeds * (args.items + 1)
                    began = wires.publish()
                    stored = await until("every item", at_least(conn, "items", items), 600)
                    queued = await until(
                        "every alert queued", at_least(conn, "deliveries", args.alerts), 600
                    )
                    await until("every alert sent", sent, 600)
                finally:
                    await conn.close()
                stamps = alerted()
                fetches = [p.metric("newsbot_feed_fetches_total") for p in running]
                shares = [p.metric("newsbot_alerts_queued_total") for p in running]
                for process in running:
                    await process.stop()
    finally:
        for process in running:
            await process.stop()
        await stub.close()
        await wires.close()
    sending = stamps[-1] - stamps[0]
    return Result(
        stored - began,
        queued - began,
        stamps[-1] - began,
        (len(stamps) - 1) / sending if sending > 0 else float("nan"),
        stub.count_429,
        fetches,
        shares,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=150)
    parser.add_argument("--items", type=int, default=40, help="new items per feed")
    parser.add_argument("--chats", type=int, default=2000, help="two subscriptions each")
    parser.add_argument("--alerts", type=int, default=600, help="items that match a chat")
    parser.add_argument("--rate", type=float, default=28.0, help="DELIVERY_RATE")
    parser.add_argument("--poll", type=float, default=1.0, help="POLL_INTERVAL_SECONDS")
    parser.add_argument("--processes", default="1,2")
    args = parser.parse_args()
    assert args.alerts <= min(args.chats, args.feeds * args.items)
    counts = [int(n) for n in args.processes.split(",")]
    print(
        f"{args.feeds} feeds x {args.items} new items = {args.feeds * args.items} items; "
        f"{args.chats} chats, {2 * args.chats} subscriptions; {args.alerts} alerts at "
        f"DELIVERY_RATE={args.rate:g}; {os.cpu_count()} cores"
    )
    results: dict[int, Result] = {}
    with running_server() as server:
        for n in counts:
            r = results[n] = await run(server, n, args)
            print(
                f"{n} process(es): stored {r.stored:.1f}s, queued {r.queued:.1f}s, "
                f"sent {r.sent:.1f}s; send rate {r.rate:.1f}/s "
                f"({100 * r.rate / CAP:.0f}% of {CAP:g}/s); 429s {r.count_429}; "
                f"feed fetches per process {r.fetches}, alerts queued {r.shares}"
            )
    if len(results) >= 2:
        one, many = results[counts[0]], results[counts[-1]]
        print(
            f"ingest speed-up {counts[0]} -> {counts[-1]} processes: stored "
            f"{one.stored / many.stored:.2f}x, queued {one.queued / many.queued:.2f}x, "
            f"all sent {one.sent / many.sent:.2f}x"
        )


if __name__ == "__main__":
    asyncio.run(main())
