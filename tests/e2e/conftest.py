"""The whole bot as a process, seen from outside: a feed server, the Bot API stand-in, the bot.

Everything here talks to the real `python -m bot` only the way production does: environment
variables (the documented settings) in, HTTP out. The feed server and the stand-in both run in
the test's own event loop on 127.0.0.1, so a test changes a feed or injects a user's message
between two awaits and then watches what the bot does about it.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Literal

import pytest
from aiohttp import web

from tests.support.botapi import TEST_TOKEN, BotApiStub
from tests.support.feedserver import LocalServer, feed_response
from tests.support.offline import OFFLINE_PYTHONPATH, REFUSED_LOG, refused
from tests.support.paths import FEEDS
from tests.support.postgres import PostgresServer, fresh_database
from tests.support.records import SentMessage

REPO = Path(__file__).resolve().parents[2]
POLL = 1.0  # POLL_INTERVAL_SECONDS every scenario runs with unless it says otherwise
BELL = "🔔"  # every alert lists the matched queries after it; no command reply has it

_ITEM = re.compile(r"<item>.*?</item>", re.S)

Mode = Literal["ok", "500", "garbage", "hang", "flap"]


# -- feeds --------------------------------------------------------------------------------


def rss_item(
    title: str,
    text: str,
    link: str,
    *,
    guid: str | None = None,
    published: datetime | None = None,
) -> str:
    """One RSS 2.0 <item> as a feed would publish it now."""
    when = format_datetime(published or datetime.now(UTC))
    return (
        "<item>\n"
        f"<title>{html.escape(title)}</title>\n"
        f"<link>{html.escape(link)}</link>\n"
        f"<guid>{html.escape(guid or link)}</guid>\n"
        f"<pubDate>{when}</pubDate>\n"
        f"<description>{html.escape(text)}</description>\n"
        "</item>"
    )


def split_feed(document: str) -> tuple[str, list[str], str]:
    """A real feed cut into header, its <item> elements and footer, to re-assemble it live."""
    items = _ITEM.findall(document)
    head = document[: document.index(items[0])] if items else document
    tail = document[document.rindex(items[-1]) + len(items[-1]) :] if items else ""
    return head, items, tail


def lenta_items(count: int, *, start: int = 0) -> list[str]:
    """Real Lenta.ru items (3 Dec 2022 snapshot): the content a feed has before a test starts."""
    text = (FEEDS / "lenta-2022-12-03.xml").read_text(encoding="utf-8")
    return split_feed(text)[1][start : start + count]


def interfax_article() -> str:
    """The reference article (Interfax, 2 Feb 2026): «Сергея Лаврова», «авиасообщения»."""
    text = (FEEDS / "interfax-sample.xml").read_bytes().decode("cp1251")
    return split_feed(text)[1][0]


INTERFAX_LINK = "https://www.interfax.ru/russia/sample-1"
INTERFAX_TITLE = "МИД сообщил о почти беспрерывном диалоге между РФ и США на различных уровнях"


@dataclass
class Feed:
    """One feed on the server: `items` newest first, served as RSS in `encoding`.

    `mode` decides the next answer: ok, 500, garbage (a 200 that is not a feed), hang (sleeps
    `hang_seconds` then answers) or flap (ok, 500, garbage in turn). ETags make unchanged
    content a 304, as real agencies do.
    """

    name: str
    url: str
    head: str
    tail: str
    encoding: str = "utf-8"
    items: list[str] = field(default_factory=list)
    mode: Mode = "ok"
    hang_seconds: float = 30.0
    requests: int = 0
    answered: int = 0  # 200 or 304 with the real feed
    served: list[float] = field(default_factory=list)  # monotonic times of full 200 answers
    _flap: Iterator[str] = field(default_factory=lambda: itertools.cycle(("ok", "500", "garbage")))

    def body(self) -> bytes:
        text = self.head + "\n".join(self.items) + self.tail
        return text.encode(self.encoding, errors="xmlcharrefreplace")

    def publish(self, *items: str) -> None:
        self.items[:0] = list(items)


class FeedServer:
    def __init__(self) -> None:
        self.feeds: dict[str, Feed] = {}
        self._server = LocalServer({"/feed/{name}": self._handle})
        self._closing = asyncio.Event()
        self.base_url = ""

    async def start(self) -> FeedServer:
        await self._server.start()
        self.base_url = self._server.url
        return self

    async def close(self) -> None:
        self._closing.set()
        await self._server.close()

    def add(
        self,
        name: str,
        items: list[str] | None = None,
        *,
        interfax: bool = False,
        title: str | None = None,
    ) -> Feed:
        """A Lenta-style UTF-8 feed, or (interfax=True) Interfax's windows-1251 wrapper; its
        channel title is `title` (default: the name, which is also its path)."""
        if interfax:
            document = (FEEDS / "interfax-sample.xml").read_bytes().decode("cp1251")
            encoding = "cp1251"
        else:
            document = (FEEDS / "lenta-2022-12-03.xml").read_text(encoding="utf-8")
            encoding = "utf-8"
        head, _, tail = split_feed(document)
        label = html.escape(title or name)
        head = re.sub(r"<title>.*?</title>", f"<title>{label}</title>", head, count=1)
        feed = Feed(name, f"{self.base_url}/feed/{name}", head, tail, encoding, list(items or []))
        self.feeds[name] = feed
        return feed

    def urls(self) -> list[str]:
        return [feed.url for feed in self.feeds.values()]

    async def wait_primed(self, *names: str, timeout: float = 20.0) -> None:  # noqa: ASYNC109
        """Until each feed was read twice: the first (silent) fetch is then stored for sure."""
        wanted = [self.feeds[n] for n in names] if names else list(self.feeds.values())
        await wait_until(lambda: all(f.answered >= 2 for f in wanted), timeout, "feeds primed")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        feed = self.feeds.get(request.match_info["name"])
        if feed is None:
            return web.Response(status=404)
        feed.requests += 1
        mode = next(feed._flap) if feed.mode == "flap" else feed.mode
        if mode == "500":
            return web.Response(status=500, text="Internal Server Error")
        if mode == "garbage":
            return web.Response(
                body=b"<html><body>\x00\xff not a feed <<<", content_type="application/rss+xml"
            )
        if mode == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), feed.hang_seconds)
        feed.answered += 1
        content_type = f"application/rss+xml; charset={feed.encoding}"
        response = feed_response(request, feed.body(), content_type)
        if response.status == 200:
            feed.served.append(time.monotonic())
        return response


# -- the bot process ------------------------------------------------------------------------


class BotProcess:
    """`python -m bot` with a clean environment: only the settings a test passes exist.

    cwd is a fresh directory, so no stray `.env` is read; stderr goes to a file that failure
    messages quote.
    """

    def __init__(self, workdir: Path, settings: dict[str, str]) -> None:
        self.workdir = workdir
        self.settings = settings
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs = 0
        self.groups: list[int] = []  # every run's process group, for `cleanup`
        self.stderr_path = workdir / "stderr-0.log"
        self.refused_log = workdir / "refused-lookups.log"

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": OFFLINE_PYTHONPATH,  # no lookups past this machine either
            REFUSED_LOG: str(self.refused_log),
            "PYTHONUNBUFFERED": "1",
            "HOME": str(self.workdir),
            **self.settings,
        }

    def launch(self) -> None:
        """Start the process and return at once (`start` also waits until it serves)."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self.runs += 1
        self.stderr_path = self.workdir / f"stderr-{self.runs}.log"
        with self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot"],
                cwd=self.workdir,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=err,
                stderr=err,
                start_new_session=True,  # its own process group: `cleanup` ends its workers too
            )
        self.groups.append(self.proc.pid)

    def refused_lookups(self) -> list[str]:
        """Host names this bot tried to look up and was refused (tests/support/offline.py)."""
        return refused(self.refused_log)

    def log_lines(self) -> list[str]:
        """What the current run wrote to stderr so far, line by line."""
        try:
            return self.stderr_path.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return []

    async def start(self, stub: BotApiStub, *, timeout: float = 20.0) -> None:  # noqa: ASYNC109
        """Start and return once the process polls the stand-in for updates (it is serving)."""
        polls = len(stub.calls("getUpdates"))
        self.launch()
        assert self.proc is not None
        await wait_until(
            lambda: len(stub.calls("getUpdates")) > polls or self.proc.poll() is not None,  # type: ignore[union-attr]
            timeout,
            "the bot to start polling",
            self,
        )
        assert self.proc.poll() is None, f"bot exited at start\n{self.stderr_tail()}"

    async def start_in_cluster(self, *, timeout: float = 20.0) -> str:  # noqa: ASYNC109
        """Start one of several processes on one database; return once it has said whether it
        leads or stands by (a standby never polls for updates, so `start` would not return)."""
        self.launch()
        await wait_until(
            lambda: self.role() is not None or not self.running(), timeout, "a role", self
        )
        assert self.running(), f"bot exited at start\n{self.stderr_tail()}"
        role = self.role()
        assert role is not None
        return role

    def role(self) -> str | None:
        """The role, "leads" or "standby", from the last line of this run's log naming one.
        A standby's line says that another process leads, so "standby" is looked for first."""
        for line in reversed(self.log_lines()):
            if "standby" in line:
                return "standby"
            if "leads" in line:
                return "leads"
        return None

    def metrics(self) -> dict[str, float]:
        """This process's /metrics (METRICS_LISTEN must be set), unlabelled samples by name."""
        listen = self.settings["METRICS_LISTEN"]
        with urllib.request.urlopen(f"http://{listen}/metrics", timeout=5) as answer:
            text = answer.read().decode()
        found: dict[str, float] = {}
        for line in text.splitlines():
            name, _, value = line.partition(" ")
            if line and not line.startswith("#") and "{" not in name:
                found[name] = float(value)
        return found

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    async def wait(self, timeout: float) -> int:  # noqa: ASYNC109
        assert self.proc is not None
        await wait_until(lambda: self.proc.poll() is not None, timeout, "bot exit", self)  # type: ignore[union-attr]
        return int(self.proc.returncode)

    async def terminate(self, timeout: float = 5.0) -> tuple[int, float]:  # noqa: ASYNC109
        """SIGTERM; returns (exit code, seconds it took)."""
        assert self.proc is not None
        began = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = await self.wait(timeout)
        return code, time.monotonic() - began

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        await self.wait(5.0)

    def status(self, field_name: str) -> int:
        """A /proc/<pid>/status figure in kB (VmRSS, VmHWM …) of the running process."""
        text = Path(f"/proc/{self.pid}/status").read_text()
        match = re.search(rf"^{field_name}:\s+(\d+) kB", text, re.M)
        assert match, f"no {field_name} in /proc/{self.pid}/status"
        return int(match.group(1))

    def stderr_tail(self, lines: int = 40) -> str:
        try:
            text = self.stderr_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no stderr)"
        return "bot stderr (tail):\n" + "\n".join(text.splitlines()[-lines:])

    def stderr(self) -> str:
        return "\n".join(
            p.read_text(errors="replace") for p in sorted(self.workdir.glob("stderr-*.log"))
        )

    def cleanup(self) -> None:
        """Kill the process and whatever is left of its group. A process killed with SIGKILL
        leaves its parser pool's workers (and their forkserver) behind: they never learn that
        their parent died. A group outlives its leader, so this finds them after a kill too."""
        for group in self.groups:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
        if self.proc is not None:
            self.proc.wait(5)


async def wait_until(
    predicate: Callable[[], object],
    timeout: float,  # noqa: ASYNC109
    what: str,
    bot: BotProcess | None = None,
) -> float:
    """Poll `predicate` every 20 ms; returns the seconds it took, fails with the bot's stderr."""
    began = time.monotonic()
    while not predicate():
        if time.monotonic() - began > timeout:
            tail = bot.stderr_tail() if bot is not None else ""
            raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{tail}")
        await asyncio.sleep(0.02)
    return time.monotonic() - began


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on now (for METRICS_LISTEN)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- what a chat received -------------------------------------------------------------------


def alerts(stub: BotApiStub, chat_id: int | None = None) -> list[SentMessage]:
    return [m for m in stub.messages(chat_id) if BELL in m.text]


def alerts_about(stub: BotApiStub, chat_id: int, marker: str) -> list[SentMessage]:
    return [m for m in alerts(stub, chat_id) if marker in m.text]


async def say(
    stub: BotApiStub,
    chat_id: int,
    text: str,
    *,
    timeout: float = 10.0,  # noqa: ASYNC109
) -> SentMessage:
    """A user types `text` in their private chat; returns the bot's (first) reply."""
    before = len(stub.messages(chat_id))
    stub.send_message(chat_id, chat_id, text)
    await wait_until(lambda: len(stub.messages(chat_id)) > before, timeout, f"a reply to {text!r}")
    return stub.messages(chat_id)[before]


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture
async def stub() -> AsyncIterator[BotApiStub]:
    api = BotApiStub()
    await api.start()
    yield api
    await api.close()


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.close()


BotFactory = Callable[..., BotProcess]
DatabaseFactory = Callable[[], str]


@pytest.fixture
def pg_databases(postgres_server: PostgresServer) -> Iterator[DatabaseFactory]:
    """new() -> the URL of a fresh, empty database on the run's PostgreSQL server; every one
    is dropped after the test. Several processes given one URL share that database. A test
    names it before `make_bot`: fixtures end in reverse order, so its processes are gone
    before their database is dropped.

    `fresh_database` drives asyncpg through asyncio.run, which cannot run inside the test's
    own event loop, so a database made from a test body is made on a worker thread.
    """
    with ExitStack() as made, ThreadPoolExecutor(1) as worker:

        def new() -> str:
            database = fresh_database(postgres_server, f"e2e{uuid.uuid4().hex}")
            return worker.submit(made.enter_context, database).result()

        yield new


@pytest.fixture
def make_bot(
    tmp_path: Path, stub: BotApiStub, engine: str, request: pytest.FixtureRequest
) -> Iterator[BotFactory]:
    """make_bot(FEEDS=..., **more settings) -> a BotProcess on a fresh DB (not started).

    The database is a SQLite file in the process's folder, or with `engine` "postgres" (the
    journey parametrizes it; TEST_DATABASE_ENGINE=postgres for any scenario) a fresh database
    on the run's PostgreSQL server. DATABASE_URL=... overrides both: processes given the same
    URL share one database (`pg_databases` makes one).
    """
    made: list[BotProcess] = []
    new_database: DatabaseFactory | None = None
    if engine == "postgres":
        new_database = request.getfixturevalue("pg_databases")

    def factory(**settings: str) -> BotProcess:
        workdir = tmp_path / f"bot{len(made)}"
        workdir.mkdir()
        if "DATABASE_URL" in settings:
            database = settings["DATABASE_URL"]
        elif new_database is not None:
            database = new_database()
        else:
            database = f"sqlite:///{workdir / 'alerts.sqlite3'}"
        defaults = {
            "BOT_TOKEN": TEST_TOKEN,
            "TELEGRAM_API_URL": stub.base_url,
            "DATABASE_URL": database,
            "POLL_INTERVAL_SECONDS": str(POLL),
            "POLL_ADAPTIVE": "false",  # scenarios re-poll every POLL; latency tests turn it on
            # Scenarios publish templated items («Нефть, сводка №1», «№2» …) that story grouping
            # rightly folds into one alert; they test one push per item, so grouping is off
            # unless a scenario is about stories (test_stories, and test_latency's defaults).
            "STORY_WINDOW_HOURS": "0",
            "LOG_LEVEL": "INFO",
            "DELIVERY_RATE": "25",
            "ALERTS_PER_HOUR": "1000",
            "FETCH_TIMEOUT": "5",
        }
        process = BotProcess(workdir, {**defaults, **settings})
        made.append(process)
        return process

    yield factory
    for process in made:
        if process.running():
            print(process.stderr_tail(60))
        process.cleanup()
