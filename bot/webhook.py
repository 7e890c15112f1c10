"""Webhook mode and the bot's own HTTP servers.

With WEBHOOK_URL set, Telegram posts each update to that URL and the bot never calls
getUpdates. Decisions, and why:
- Updates go through aiogram's own `SimpleRequestHandler` with `secret_token`: a request
  without Telegram's `X-Telegram-Bot-Api-Secret-Token` (or with another one) gets 401 and
  reaches nothing. WEBHOOK_SECRET is therefore required in webhook mode (config.py).
- The answer to Telegram waits for the handler (`handle_in_background=False`): a 200 means
  "handled", so an update whose process died mid-way is posted again by Telegram (to whichever
  process the load balancer picks), where polling would have lost it. A handler that raises
  is logged and still answered 200, as polling moves on past it: otherwise Telegram would
  post the same poison update again and again.
- Nothing here is per process beyond the dispatcher itself, so several processes behind a
  load balancer can all accept updates (they share one database: that needs the PostgreSQL
  support of issue 17; on SQLite one process holds the database).
- At start: the server listens first, then setWebhook (with the secret, the update types the
  handlers use, `drop_pending_updates=False`: updates Telegram queued meanwhile still come).
  At stop: the webhook is left set. Another process behind the balancer may still be serving,
  and a restarting bot gets what Telegram queued while it was away.
- Back to polling: the polling start deletes a webhook left set (keeping pending updates),
  since Telegram refuses getUpdates while one is set.

One `HttpServers` serves every address: the webhook's (WEBHOOK_LISTEN) and /healthz with
/metrics (METRICS_LISTEN); when the two are the same address, one server serves both.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramBadRequest, TelegramNotFound, TelegramUnauthorizedError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.backoff import doubled
from bot.clock import wait_for_event
from bot.config import Listen, Settings
from bot.connect import TelegramRefusedError

log = logging.getLogger(__name__)

__all__ = [
    "HttpServers",
    "ListenError",
    "WebhookEndpoint",
    "leave_webhook",
    "run_webhook",
    "set_webhook",
]

# How long a stopping server waits for requests in progress (an update being handled).
SHUTDOWN_SECONDS = 10.0


class ListenError(Exception):
    """An address of WEBHOOK_LISTEN or METRICS_LISTEN cannot be listened on (in use, say)."""


class HttpServers:
    """One aiohttp application per listening address; routes are added before `start`."""

    def __init__(self) -> None:
        self._apps: dict[Listen, web.Application] = {}
        self._runners: list[tuple[Listen, web.AppRunner]] = []

    def add(self, listen: Listen, routes: list[web.RouteDef]) -> None:
        app = self._apps.setdefault(listen, web.Application())
        app.add_routes(routes)

    async def start(self) -> None:
        """Listen on every address; one that cannot be used is `ListenError` (nothing is left
        open)."""
        try:
            for listen, app in self._apps.items():
                runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_SECONDS)
                await runner.setup()
                self._runners.append((listen, runner))
                try:
                    await web.TCPSite(runner, *listen).start()
                except OSError as exc:
                    where = f"{_bracketed(listen[0])}:{listen[1]}"
                    raise ListenError(f"cannot listen on {where}: {exc.strerror or exc}") from None
                log.info("serving %s on %s", _paths(app), self.url(listen))
        except BaseException:
            await self.stop()
            raise

    def url(self, listen: Listen) -> str:
        """http://host:port actually bound (port 0 asks for any free port)."""
        for bound, runner in self._runners:
            if bound == listen and runner.addresses:
                host, port = runner.addresses[0][:2]
                return f"http://{_bracketed(host)}:{port}"
        return f"http://{_bracketed(listen[0])}:{listen[1]}"

    async def stop(self) -> None:
        """Stop listening; requests in progress get up to SHUTDOWN_SECONDS to finish."""
        runners, self._runners = self._runners, []
        for _, runner in reversed(runners):
            await runner.cleanup()


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _paths(app: web.Application) -> str:
    return ", ".join(sorted({r.resource.canonical for r in app.router.routes() if r.resource}))


class WebhookEndpoint:
    """The webhook's route, registered before the server starts and open once the bot has
    started (until then, and after stop, 503: Telegram posts the update again later)."""

    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret: str) -> None:
        self._handler = _Handler(dispatcher, bot, secret)
        self.open = False

    def route(self, path: str) -> web.RouteDef:
        return web.post(path, self._handle)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if not self.open:
            return web.Response(status=503, text="starting or stopping")
        return await self._handler.handle(request)


class _Handler(SimpleRequestHandler):
    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret: str) -> None:
        super().__init__(dispatcher, bot, handle_in_background=False, secret_token=secret)

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            return await super()._handle_request(bot, request)
        except ValueError:  # not JSON, or not an Update
            return web.Response(status=400, text="not a Telegram update")
        except Exception:  # aiogram logged it; answered, so Telegram does not post it again
            return web.json_response({})


async def set_webhook(
    bot: Bot, settings: Settings, allowed_updates: list[str], stop: asyncio.Event
) -> bool:
    """setWebhook until Telegram takes it; False if stopped first. A refusal (a URL Telegram
    will not post to, say) is `TelegramRefusedError`: a one-line error, exit code 2."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    attempt = 0
    while not stop.is_set():
        attempt += 1
        try:
            await bot.set_webhook(
                url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=allowed_updates,
                drop_pending_updates=False,
            )
        except (TelegramBadRequest, TelegramUnauthorizedError, TelegramNotFound) as exc:
            raise TelegramRefusedError(
                f"setWebhook refused ({exc.message}): check WEBHOOK_URL"
            ) from None
        except Exception as exc:  # network, 5xx: as at start, wait and ask again
            delay = doubled(1.0, attempt - 1, cap=60.0)
            log.warning("setWebhook failed (%s); attempt %d, next in %.0f s", exc, attempt, delay)
            await wait_for_event(stop, delay)
            continue
        log.info("webhook set: Telegram posts updates to %s", settings.webhook_url)
        return True
    return False


async def leave_webhook(bot: Bot) -> None:
    """Polling start: a webhook left set (webhook mode ran before) would make Telegram refuse
    getUpdates; delete it, keeping the updates it holds for us."""
    try:
        info = await bot.get_webhook_info()
        if info.url:
            log.warning("a webhook is set (%s); deleting it to poll for updates", info.url)
            await bot.delete_webhook(drop_pending_updates=False)
    except Exception as exc:  # polling reports its own trouble if the webhook is still there
        log.warning("could not check for a webhook: %s", exc)


async def run_webhook(
    dispatcher: Dispatcher,
    bot: Bot,
    endpoint: WebhookEndpoint,
    servers: HttpServers,
    settings: Settings,
    stop: asyncio.Event,
) -> None:
    """Start the bot's work, open the endpoint, set the webhook, serve until `stop`; then stop
    taking updates, let those in progress finish, and end the work (the servers started
    earlier, with the endpoint's route)."""
    workflow: dict[str, Any] = {
        "dispatcher": dispatcher,
        "bots": (bot,),
        **dispatcher.workflow_data,
    }
    await dispatcher.emit_startup(bot=bot, **workflow)
    try:
        endpoint.open = True
        if await set_webhook(bot, settings, dispatcher.resolve_used_update_types(), stop):
            await stop.wait()
        log.info("stopping: no more updates taken")
    finally:
        endpoint.open = False
        await servers.stop()
        await dispatcher.emit_shutdown(bot=bot, **workflow)
