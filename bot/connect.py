"""Waiting for Telegram at start: a network outage is waited out, a refused token is not.

aiogram's first `getMe` failure would end the process with a traceback whenever Telegram or
the network is down at boot, and a supervisor restarting it would only repeat that. So the bot
asks again with capped exponential backoff (1, 2, 4 … 60 s), one log line per attempt, until
Telegram answers or a stop is asked for (SIGTERM).

A refused token (401 Unauthorized) or a Bot API server that does not know the bot (404) will
not get better by waiting: that is `TelegramRefusedError`, a one-line error and exit code 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramNotFound, TelegramRetryAfter, TelegramUnauthorizedError
from aiogram.types import User

from bot.backoff import doubled
from bot.clock import wait_for_event

log = logging.getLogger(__name__)

__all__ = ["ConnectBackoff", "TelegramRefusedError", "wait_for_telegram"]


class TelegramRefusedError(Exception):
    """Telegram answered, and the answer is that this bot cannot run as configured."""


@dataclass(frozen=True)
class ConnectBackoff:
    first: float = 1.0
    cap: float = 60.0
    request_timeout: int = 10  # a black-holed server must not hold one attempt for minutes

    def delay(self, attempt: int) -> float:
        return doubled(self.first, attempt - 1, cap=self.cap)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or "no answer in time"
    return f"{type(exc).__name__}: {text}"[:300]


async def wait_for_telegram(
    bot: Bot, stop: asyncio.Event, backoff: ConnectBackoff | None = None
) -> User | None:
    """Ask Telegram who we are until it answers; None if `stop` was set first."""
    backoff = backoff or ConnectBackoff()
    attempt = 0
    while not stop.is_set():
        attempt += 1
        # bot.me() keeps the answer, so polling starts without asking again.
        request = asyncio.ensure_future(asyncio.wait_for(bot.me(), backoff.request_timeout))
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait((request, stopping), return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not request.done():
            request.cancel()
            with contextlib.suppress(BaseException):
                await request
            break
        try:
            me = request.result()
        except TelegramUnauthorizedError as exc:
            raise TelegramRefusedError(
                f"Telegram refused BOT_TOKEN ({exc.message}): check the token from @BotFather"
            ) from None
        except TelegramNotFound as exc:
            raise TelegramRefusedError(
                f"the Bot API server does not know this bot ({exc.message}): "
                "check BOT_TOKEN and TELEGRAM_API_URL"
            ) from None
        except Exception as exc:  # network down, 5xx, flood control, garbage: all transient
            delay = backoff.delay(attempt)
            if isinstance(exc, TelegramRetryAfter):
                delay = max(delay, float(exc.retry_after))
            log.warning(
                "Telegram is not reachable (%s); attempt %d, next in %.0f s",
                _one_line(exc),
                attempt,
                delay,
            )
            await wait_for_event(stop, delay)
            continue
        if attempt > 1:
            log.info("Telegram answered after %d attempts", attempt)
        return me
    log.info("stopped while waiting for Telegram")
    return None
