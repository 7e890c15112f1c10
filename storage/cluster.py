"""How bot processes sharing one database coordinate: which one leads, and the news they pass.

SQLite holds one process per file (storage/guard.py), so `Cluster` there is trivial: the
process leads at once and nobody else needs telling. On PostgreSQL (`PostgresCluster`)
several processes share the work:
- exactly one leads: it holds a session-level advisory lock on a connection of its own. The
  server drops the lock with that connection, so when the leader dies (SIGKILL included) a
  standby, trying every `retry` seconds, takes over. A leader whose connection breaks is told
  at once (`Leadership.lost`) and must stop acting as leader: another may already lead.
- writes other processes must see at once are announced with NOTIFY (sent at commit, so never
  before the row is visible); `listen` delivers them, and after a lost connection reconnects
  and calls `on_connect` again, because notifications sent while disconnected are gone: the
  listener reloads instead (the "equivalent that survives a lost connection").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import asyncpg

log = logging.getLogger(__name__)

__all__ = ["DELIVERIES", "LEADER_KEY", "SUBSCRIPTIONS", "Cluster", "Leadership"]

# NOTIFY channels: a subscription changed (payload: its id); deliveries were queued.
SUBSCRIPTIONS = "newsbot_subscriptions"
DELIVERIES = "newsbot_deliveries"
# The advisory lock the leader holds; this product's own key ("newslead").
LEADER_KEY = 0x6E657773_6C656164

Handler = Callable[[str], None]
# What a broken or unreachable database raises through asyncpg.
_LOST = (OSError, asyncio.TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


async def _wait_any(events: tuple[asyncio.Event, ...], timeout: float) -> None:  # noqa: ASYNC109
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()


class Leadership:
    """The lead, held until `release()` or until `lost` is set (the database dropped it).
    Release only once nothing is being sent any more: the next leader starts at once."""

    def __init__(self, release: Callable[[], Awaitable[None]] | None = None) -> None:
        self.lost = asyncio.Event()
        self._release = release

    async def release(self) -> None:
        if self._release is not None:
            release, self._release = self._release, None
            await release()


class Cluster:
    """One process per database (SQLite): it leads at once and hears nothing."""

    shared = False

    async def lead(self, stop: asyncio.Event) -> Leadership | None:
        """Wait until this process leads (None if `stop` is set first)."""
        return None if stop.is_set() else Leadership()

    async def listen(
        self,
        handlers: Mapping[str, Handler],
        on_connect: Callable[[], Awaitable[None]],
        stop: asyncio.Event,
    ) -> None:
        """Deliver other processes' notifications until `stop`; nothing to hear here."""
        await stop.wait()


class PostgresCluster(Cluster):
    shared = True

    def __init__(
        self,
        connect: Callable[[], Awaitable[Any]],
        name: str,
        *,
        retry: float = 1.0,
        check: float = 2.0,
        fence: float = 6.0,
    ) -> None:
        self._connect = connect  # a new asyncpg connection named for this process
        self._name = name  # this process's application name
        self._retry = retry
        self._check = check  # how often a held connection is checked for life
        self._fence = fence  # longest wait for the previous leader to be gone

    async def lead(self, stop: asyncio.Event) -> Leadership | None:
        conn: Any = None
        announced = False
        while not stop.is_set():
            try:
                if conn is None or conn.is_closed():
                    conn = await self._connect()
                if await conn.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_KEY):
                    await self._succeed(conn, stop)
                    return self._held(conn)
                if not announced:
                    log.info(
                        "standby: another process leads; fetching feeds, trying every %gs",
                        self._retry,
                    )
                    announced = True
            except _LOST as exc:
                log.warning("cannot reach the database to try for the lead: %s", exc)
                await _closed(conn)
                conn = None
            await _wait_any((stop,), self._retry)
        await _closed(conn)
        return None

    async def _succeed(self, conn: Any, stop: asyncio.Event) -> None:
        """Name this process as the leader, then wait (at most `fence` seconds) until the
        previous leader has no connection left. A leader that lost only its lock's
        connection is still finishing its sends in flight (bot/roles.py: it resigns and
        exits); sending before it is gone could send those alerts twice."""
        previous = await conn.fetchval("SELECT name FROM cluster_leader WHERE id = 1")
        await conn.execute(
            "INSERT INTO cluster_leader (id, name, since) "
            "VALUES (1, $1, extract(epoch from now())) ON CONFLICT (id) "
            "DO UPDATE SET name = excluded.name, since = excluded.since",
            self._name,
        )
        if not previous or previous == self._name:  # '' : the last leader handed over
            return
        deadline = asyncio.get_running_loop().time() + self._fence
        while not stop.is_set() and asyncio.get_running_loop().time() < deadline:
            alive = await conn.fetchval(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1", previous
            )
            if not alive:
                return
            await _wait_any((stop,), 0.1)
        log.warning("the previous leader (%s) still has connections; leading anyway", previous)

    def _held(self, conn: Any) -> Leadership:
        watchdog: asyncio.Task[None] | None = None

        async def release() -> None:
            if watchdog is not None:
                watchdog.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watchdog
            if not conn.is_closed():  # handed over: the next leader need not wait for us
                with contextlib.suppress(*_LOST):
                    await asyncio.wait_for(
                        conn.execute(
                            "UPDATE cluster_leader SET name = '' WHERE id = 1 AND name = $1",
                            self._name,
                        ),
                        timeout=2.0,
                    )
            await _closed(conn)  # the lock goes with its connection

        held = Leadership(release)
        conn.add_termination_listener(lambda _conn: held.lost.set())
        watchdog = asyncio.create_task(self._watch(conn, held.lost), name="leader-watch")
        return held

    async def _watch(self, conn: Any, lost: asyncio.Event) -> None:
        """A connection can die without a word (a server restart, a cut network): ask it."""
        while not lost.is_set():
            await asyncio.sleep(self._check)
            try:
                await asyncio.wait_for(conn.fetchval("SELECT 1"), timeout=2 * self._check)
            except _LOST:
                lost.set()
                await _closed(conn)

    async def listen(
        self,
        handlers: Mapping[str, Handler],
        on_connect: Callable[[], Awaitable[None]],
        stop: asyncio.Event,
    ) -> None:
        while not stop.is_set():
            try:
                await self._listen_once(handlers, on_connect, stop)
            except _LOST as exc:
                log.warning("lost the database notifications (%s); reconnecting", exc)
            if not stop.is_set():
                log.warning("database notifications interrupted: reloading after reconnect")
                await _wait_any((stop,), self._retry)

    async def _listen_once(
        self,
        handlers: Mapping[str, Handler],
        on_connect: Callable[[], Awaitable[None]],
        stop: asyncio.Event,
    ) -> None:
        """One connection's life: listen, catch up (`on_connect`), wait until it breaks."""
        conn: Any = None
        gone = asyncio.Event()
        try:
            conn = await self._connect()
            conn.add_termination_listener(lambda _conn: gone.set())
            for channel, handler in handlers.items():
                await conn.add_listener(channel, _deliver(handler))
            await on_connect()
            while not stop.is_set() and not gone.is_set():
                await _wait_any((stop, gone), self._check)
                if not stop.is_set() and not gone.is_set():
                    await asyncio.wait_for(conn.fetchval("SELECT 1"), 2 * self._check)
        finally:
            await _closed(conn)


def _deliver(handler: Handler) -> Callable[[Any, int, str, str], None]:
    def callback(_conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            handler(payload)
        except Exception:  # one bad notification must not stop the listener
            log.exception("handling a database notification failed")

    return callback


async def _closed(conn: Any) -> None:
    """Close quietly (a broken connection may refuse even that)."""
    if conn is not None and not conn.is_closed():
        with contextlib.suppress(Exception):
            await asyncio.wait_for(conn.close(), timeout=2.0)
    return None
