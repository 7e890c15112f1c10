"""/healthz and /metrics: is this bot process doing its job, and what has it done.

/healthz answers 200 when all three checks pass, else 503 naming the ones that failed; the
body is a small JSON object either way (`{"status": "ok", "checks": {...}}`):
- database: a read of the delivery queue answers within `database_timeout` seconds;
- telegram: the Bot API answered some request in the last `telegram_quiet` seconds (any
  answer counts, a 400 too: Telegram is there; a network error or a 5xx does not). In
  polling mode getUpdates answers every few seconds, so this costs nothing; a webhook bot may
  have nothing to say for hours, so when the last answer is older a `getMe` is asked, once at
  a time, with a short timeout;
- queue: while the delivery worker runs, no alert has been due for more than `queue_stuck`
  seconds (a stopped or crashed worker fails the check; before it starts, the check passes).

Every Bot API request passes `TelegramWatch` (a session middleware registered after the send
budget's, so it sees each real request, retries included): it keeps the time of the last
answer and counts 429s into the metrics.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiohttp import web

from bot.clock import Clock, utc_now
from bot.metrics import CONTENT_TYPE, Metrics
from storage import DeliveryStatus, Repository

if TYPE_CHECKING:
    from aiogram.client.session.middlewares.base import NextRequestMiddlewareType
    from aiogram.methods import Response, TelegramMethod
    from aiogram.methods.base import TelegramType

__all__ = ["HealthCheck", "HealthPolicy", "HealthReport", "TelegramWatch", "ops_routes"]

Monotonic = Callable[[], float]
WorkerState = Callable[[], bool | None]  # None: not started yet; False: stopped or crashed


@dataclass(frozen=True)
class HealthPolicy:
    telegram_quiet: float = 300.0
    probe_timeout: float = 5.0
    queue_stuck: float = 600.0
    database_timeout: float = 5.0


class TelegramWatch(BaseRequestMiddleware):
    """When Telegram last answered, and how often it said 429 (see the module docstring)."""

    def __init__(self, metrics: Metrics, monotonic: Monotonic = time.monotonic) -> None:
        self._metrics = metrics
        self._monotonic = monotonic
        self.last_answer: float | None = None

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            response = await make_request(bot, method)
        except (TelegramNetworkError, TelegramServerError):
            raise  # no answer, or a broken one: not a sign of health
        except TelegramRetryAfter:
            self._metrics.telegram_429.inc()
            self.answered()
            raise
        except TelegramAPIError:
            self.answered()
            raise
        self.answered()
        return response

    def answered(self) -> None:
        self.last_answer = self._monotonic()

    def quiet_for(self) -> float | None:
        """Seconds since the last answer; None if there never was one."""
        return None if self.last_answer is None else self._monotonic() - self.last_answer


@dataclass(frozen=True)
class HealthReport:
    checks: dict[str, str]  # name -> "ok" or what is wrong

    @property
    def failed(self) -> list[str]:
        return [name for name, verdict in self.checks.items() if verdict != "ok"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": "ok" if self.ok else "failing", "checks": self.checks}
        if not self.ok:
            body["failed"] = self.failed
        return body


class HealthCheck:
    def __init__(
        self,
        repo: Repository,
        bot: Bot,
        watch: TelegramWatch,
        *,
        worker_running: WorkerState = lambda: None,
        policy: HealthPolicy | None = None,
        clock: Clock = utc_now,
    ) -> None:
        self._repo = repo
        self._bot = bot
        self._watch = watch
        self._worker_running = worker_running
        self._policy = policy or HealthPolicy()
        self._clock = clock
        self._probing = asyncio.Lock()

    async def run(self) -> HealthReport:
        database, queue = await self._database_and_queue()
        return HealthReport(
            {"database": database, "telegram": await self._telegram(), "queue": queue}
        )

    async def _database_and_queue(self) -> tuple[str, str]:
        try:
            async with asyncio.timeout(self._policy.database_timeout):
                oldest_due = await self._repo.deliveries.next_attempt_at()
        except Exception as exc:  # whatever the database says, /healthz says it plainly
            return f"no answer: {_one_line(exc)}", "unknown: the database did not answer"
        running = self._worker_running()
        if running is None:
            return "ok", "ok"
        if not running:
            return "ok", "the delivery worker is not running"
        late = 0.0 if oldest_due is None else (self._clock() - oldest_due).total_seconds()
        if late > self._policy.queue_stuck:
            return "ok", f"an alert has been due for {late:.0f} s and is not sent"
        return "ok", "ok"

    async def _telegram(self) -> str:
        limit = self._policy.telegram_quiet
        if self._answered_within(limit):
            return "ok"
        async with self._probing:  # one getMe at a time, however many probes ask
            if self._answered_within(limit):
                return "ok"  # the probe that held the lock got an answer
            quiet = self._watch.quiet_for()
            timeout = self._policy.probe_timeout
            try:
                async with asyncio.timeout(timeout):
                    await self._bot.get_me(request_timeout=max(int(timeout), 1))
            except Exception as exc:
                if self._answered_within(limit):
                    return "ok"  # refused (a 429, say), but Telegram is there to refuse
                since = "never answered" if quiet is None else f"no answer for {quiet:.0f} s"
                return f"{since}; getMe: {_one_line(exc)}"
        return "ok"

    def _answered_within(self, seconds: float) -> bool:
        quiet = self._watch.quiet_for()
        return quiet is not None and quiet <= seconds


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "no answer in time"
    return f"{type(exc).__name__}: {text}"[:300]


def ops_routes(
    health: HealthCheck, metrics: Metrics, queue_depth: Callable[[], Awaitable[int]]
) -> list[web.RouteDef]:
    """GET /healthz and GET /metrics, for whichever server METRICS_LISTEN names."""

    async def healthz(request: web.Request) -> web.Response:
        report = await health.run()
        return web.json_response(report.as_json(), status=200 if report.ok else 503)

    async def scrape(request: web.Request) -> web.Response:
        try:
            depth: int | None = await queue_depth()
        except Exception:  # the database's trouble is /healthz's to report; counters still go
            depth = None
        return web.Response(body=metrics.render(depth), headers={"Content-Type": CONTENT_TYPE})

    return [web.get("/healthz", healthz), web.get("/metrics", scrape)]


def pending_count(repo: Repository) -> Callable[[], Awaitable[int]]:
    async def count() -> int:
        return (await repo.deliveries.counts_by_status()).get(DeliveryStatus.PENDING.value, 0)

    return count
