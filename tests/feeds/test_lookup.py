"""Host name lookups for feeds and pages: the answers aiohttp's own resolver gives, on threads a
stopping bot does not wait for, a bounded number at a time."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from aiohttp import web

from bot.feeds.fetcher import Fetcher, FetchLimits, make_session
from bot.feeds.lookup import LookupResolver, Lookups, getaddrinfo
from tests.support.feedserver import serve
from tests.support.offline import OFFLINE_PYTHONPATH
from tests.support.paths import sample


async def test_an_address_resolves_as_socket_getaddrinfo_has_it() -> None:
    ours = await getaddrinfo("127.0.0.1", 8080)
    assert ours == socket.getaddrinfo("127.0.0.1", 8080, type=socket.SOCK_STREAM)


async def test_a_failed_lookup_reaches_the_caller_as_the_resolver_said_it() -> None:
    with pytest.raises(socket.gaierror, match=r"q\.example"):
        await getaddrinfo("q.example", 443)  # refused by the tests' offline guard


async def test_the_resolver_hands_aiohttp_numeric_addresses() -> None:
    [found] = await LookupResolver().resolve("localhost", 8080, socket.AF_INET)
    assert (found["hostname"], found["host"], found["port"]) == ("localhost", "127.0.0.1", 8080)
    assert found["flags"] == socket.AI_NUMERICHOST | socket.AI_NUMERICSERV


async def test_feed_and_page_sessions_resolve_through_it() -> None:
    async def feed(request: web.Request) -> web.Response:
        return web.Response(body=sample("lenta-2022-12-03.xml"), content_type="application/xml")

    limits = FetchLimits()
    async with serve({"/feed": feed}) as server, make_session(limits) as session:
        assert isinstance(session.connector._resolver, LookupResolver)  # type: ignore[union-attr]
        fetcher = Fetcher(session, limits)
        found = await fetcher.fetch(f"http://localhost:{server.port}/feed")
        lost = await fetcher.fetch("http://q.example/feed")
    assert found.ok and found.body == sample("lenta-2022-12-03.xml")
    assert not lost.ok and lost.error is not None and "q.example" in lost.error, lost.error


async def test_no_more_than_the_bound_wait_on_threads_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    running, most = 0, 0
    lock = threading.Lock()
    real = socket.getaddrinfo

    def slow(*args: object) -> object:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.1)
        with lock:
            running -= 1
        return real("127.0.0.1", 80)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    lookups = Lookups(at_once=2)
    await asyncio.gather(*(lookups.getaddrinfo(f"h{n}.example", 80) for n in range(6)))
    assert most == 2


async def test_a_caller_that_gives_up_gets_nothing_late_and_breaks_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answered = threading.Event()

    def slow(*args: object) -> object:
        time.sleep(0.3)
        answered.set()
        raise socket.gaierror(socket.EAI_AGAIN, "too late")

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(getaddrinfo("slow.example", 80), 0.05)
    assert await asyncio.to_thread(answered.wait, 2.0)
    await asyncio.sleep(0.05)  # the late answer reaches the loop, which drops it


HANGING_PROCESS = """
import asyncio, socket, sys, time

def hang(*args, **kwargs):
    time.sleep({hang})
    raise socket.gaierror(socket.EAI_AGAIN, "no answer")

socket.getaddrinfo = hang

async def main():
    if sys.argv[1] == "ours":
        from bot.feeds.lookup import LookupResolver
        lookup = asyncio.ensure_future(LookupResolver().resolve("slow.example", 443))
    else:
        loop = asyncio.get_running_loop()
        lookup = asyncio.ensure_future(loop.getaddrinfo("slow.example", 443))
    await asyncio.sleep(0.2)  # the lookup is running when the process is told to stop

asyncio.run(main())
"""


@pytest.mark.parametrize(
    ("resolver", "holds_exit"), [("ours", False), ("asyncio's default pool", True)]
)
def test_a_lookup_that_never_answers_holds_the_exit_only_in_the_default_pool(
    resolver: str, holds_exit: bool
) -> None:
    """The second case is the reason for the first: it shows the scenario does hold a process
    whose lookups run in asyncio's pool, so the first is not passing by accident."""
    hang = 3.0
    code = textwrap.dedent(HANGING_PROCESS.format(hang=hang))
    began = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", code, resolver.split()[0]],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": OFFLINE_PYTHONPATH},
        check=True,
        timeout=30,
    )
    took = time.monotonic() - began
    assert (took >= hang) is holds_exit, f"exit took {took:.2f}s"
