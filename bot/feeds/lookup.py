"""Host name lookups that never hold the bot's exit.

getaddrinfo blocks, so asyncio and aiohttp run it in the event loop's default thread pool. A
stopping bot waits for that pool: `asyncio.run` shuts it down waiting, and the interpreter
joins its threads at exit, so every lookup still running or queued runs to its end first. A
resolver that does not answer costs its full timeout (5 s per try and server with glibc's
defaults), and a burst of pages on a host whose lookups fail had queued hundreds: measured 1.4 to
5.3 s from SIGTERM to exit after everything else had stopped. Feed and page fetches resolve
here instead, each lookup on a daemon thread that the exit does not wait for; the task awaiting
it is cancelled with the rest, and a late answer is dropped.

A session's resolver awaits at most LOOKUPS_AT_ONCE lookups at a time (the default pool ran
min(32, CPUs + 4)), so a burst of new hosts does not start a thread per item; a lookup whose
caller gave up finishes on its own thread, as it would have in the pool. The Bot API session
resolves here too (bot/session.py): rarely (aiogram keeps an answer for an hour), but a bot
started before the machine's network is up waits on exactly such a lookup.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult

LOOKUPS_AT_ONCE = 8

AddressInfo = tuple[
    socket.AddressFamily, socket.SocketKind, int, str, tuple[str, int] | tuple[str, int, int, int]
]


async def getaddrinfo(
    host: str,
    port: int,
    *,
    family: int = 0,
    type: int = socket.SOCK_STREAM,
    flags: int = 0,
) -> list[AddressInfo]:
    """socket.getaddrinfo on a daemon thread of its own."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[list[AddressInfo]] = loop.create_future()

    def look_up() -> None:
        try:
            found: Any = socket.getaddrinfo(host, port, family, type, 0, flags)
        except Exception as exc:  # handed to the task that asked
            _hand_over(loop, answer, None, exc)
        else:
            _hand_over(loop, answer, list(found), None)

    threading.Thread(target=look_up, name=f"lookup {host}", daemon=True).start()
    return await answer


class Lookups:
    """`getaddrinfo` with at most `at_once` lookups awaited at a time."""

    def __init__(self, at_once: int = LOOKUPS_AT_ONCE) -> None:
        self._slots = asyncio.Semaphore(at_once)

    async def getaddrinfo(
        self, host: str, port: int, *, family: int = 0, flags: int = 0
    ) -> list[AddressInfo]:
        async with self._slots:
            return await getaddrinfo(host, port, family=family, flags=flags)


def _hand_over(
    loop: asyncio.AbstractEventLoop,
    answer: asyncio.Future[list[AddressInfo]],
    found: list[AddressInfo] | None,
    error: Exception | None,
) -> None:
    def settle() -> None:
        if answer.done():  # the task that asked was cancelled
            return
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(found or [])

    # A loop closed while the lookup ran raises RuntimeError: nobody is waiting any more.
    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(settle)


class LookupResolver(AbstractResolver):
    """aiohttp's resolver interface over `Lookups` (what aiohttp's threaded resolver returns,
    the addresses as numbers so the connector does not look them up again)."""

    def __init__(self, lookups: Lookups | None = None) -> None:
        self._lookups = lookups or Lookups()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        infos = await self._lookups.getaddrinfo(
            host, port, family=family, flags=socket.AI_ADDRCONFIG
        )
        results: list[ResolveResult] = []
        for info_family, _, proto, _, address in infos:
            if info_family not in (socket.AF_INET, socket.AF_INET6):
                continue
            results.append(
                ResolveResult(
                    hostname=host,
                    host=str(address[0]),
                    port=int(address[1]),
                    family=info_family,
                    proto=proto,
                    flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                )
            )
        if not results:
            raise OSError(None, f"no usable address for {host}")
        return results

    async def close(self) -> None:
        return None
