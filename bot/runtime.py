"""Process lifetime: open the database, start background work with polling or a webhook, serve
/healthz and /metrics, stop it all cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from datetime import timedelta

import aiohttp
from aiogram import Bot, Dispatcher

from bot.app import build_bot, build_budget, build_dispatcher
from bot.channels.preview import ChannelPreview
from bot.commands import register_commands
from bot.config import Settings
from bot.connect import wait_for_telegram
from bot.delivery import DeliveryConfig, DeliveryWorker, SendBudget
from bot.feeds import Fetcher, FetchLimits, SsrfGuard, make_session
from bot.fulltext import ExtractPool, FullText, FullTextPolicy, PageReader
from bot.health import HealthCheck, TelegramWatch, ops_routes, pending_count
from bot.keyboards import alert_keyboard
from bot.pipeline import Ingestor, Quota
from bot.poller import FeedPoller
from bot.retention import Retention
from bot.services import Services
from bot.stories.live import StoryDesk
from bot.webhook import HttpServers, WebhookEndpoint, leave_webhook, run_webhook
from storage import Repository

log = logging.getLogger(__name__)


def fetch_limits(settings: Settings) -> FetchLimits:
    return FetchLimits(
        connect_timeout=settings.fetch_connect_timeout,
        total_timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes,
    )


def full_text(settings: Settings, trusted: Fetcher, guarded: Fetcher) -> FullText:
    """Article pages through the feeds' own fetchers (same limits, the same SSRF guard for
    chats' feeds), extracted in a worker process of their own."""
    reader = PageReader(
        trusted=trusted,
        guarded=guarded,
        pool=ExtractPool(1, max_chars=settings.fulltext_max_chars),
        per_host=settings.fulltext_per_host,
    )
    policy = FullTextPolicy(settings.fulltext_timeout_seconds, settings.fulltext_min_feed_chars)
    return FullText(reader, policy)


class Background:
    """Feed polling, alert delivery and retention: started after the bot connects, stopped
    before close."""

    def __init__(self, services: Services, budget: SendBudget) -> None:
        self._services = services
        self._budget = budget  # the same one the bot's requests go through
        self._session: aiohttp.ClientSession | None = None
        self._chat_feeds_session: aiohttp.ClientSession | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._worker_task: asyncio.Task[None] | None = None
        self.poller: FeedPoller | None = None
        self.worker: DeliveryWorker | None = None
        self.retention: Retention | None = None
        self.stories: StoryDesk | None = None
        self.fulltext: FullText | None = None

    async def start(self, bot: Bot) -> None:
        s = self._services
        settings = s.settings
        limits = fetch_limits(settings)
        guard = SsrfGuard(allow_private=settings.allow_private_feed_hosts)
        self._session = make_session(limits)
        # Chats' own feeds get a session that resolves through the guard (no DNS rebinding).
        self._chat_feeds_session = make_session(limits, guard=guard)
        self.worker = DeliveryWorker(
            bot,
            s.repo,
            s.analyzer,
            DeliveryConfig.from_settings(settings),
            self._budget,
            clock=s.clock,
            keyboard=alert_keyboard,
            analysis=s.analysis,
            metrics=s.metrics,
        )
        if settings.story_window_hours > 0:
            self.stories = StoryDesk(s.analyzer, settings.story_window_hours)
        trusted = Fetcher(self._session, limits)
        guarded = Fetcher(self._chat_feeds_session, limits, guard=guard)
        self.fulltext = full_text(settings, trusted, guarded)
        self.poller = FeedPoller(
            s.repo,
            Ingestor(
                s.repo,
                s.subscription_service,
                quota=Quota(settings.item_max_chars, settings.feed_max_items_per_day),
                analysis=s.analysis,
                stories=self.stories,
                fulltext=self.fulltext,
                on_late=self.worker.notify,
                clock=s.clock,
                metrics=s.metrics,
            ),
            for_defaults=trusted,
            for_chat_feeds=guarded,
            interval=settings.poll_interval_seconds,
            concurrency=settings.fetch_concurrency,
            on_deliveries=self.worker.notify,
            clock=s.clock,
            fetch_now=s.fetch_now,
            policy=settings.schedule_policy(),
            channels=ChannelPreview(settings.telegram_channel_preview_url),
            metrics=s.metrics,
        )
        self.retention = Retention(s.repo, timedelta(days=settings.retention_days), clock=s.clock)
        try:
            await register_commands(bot)
        except Exception:  # the menu is a nicety; never refuse to start over it
            log.warning("could not register the command menu", exc_info=True)
        self._worker_task = asyncio.create_task(self.worker.run(), name="delivery-worker")
        self._tasks = [
            asyncio.create_task(self.poller.run(), name="feed-poller"),
            *(
                [asyncio.create_task(self._restore_stories(self.stories), name="story-restore")]
                if self.stories is not None
                else []
            ),
            self._worker_task,
            asyncio.create_task(self.retention.run(), name="retention"),
        ]
        log.info("background work started: %d feeds", len(await s.repo.feeds.all_wanted()))

    def worker_running(self) -> bool | None:
        """For /healthz: None before start, then whether the delivery worker still runs."""
        return None if self._worker_task is None else not self._worker_task.done()

    async def _restore_stories(self, desk: StoryDesk) -> None:
        """The poller waits for this before grouping (see StoryDesk.ready)."""
        try:
            await desk.restore(self._services.repo, self._services.clock())
        except Exception:  # grouping restarts empty rather than the bot not starting
            log.exception("could not rebuild the story window")

    async def stop(self) -> None:
        if self.retention is not None:
            self.retention.stop()
        if self.poller is not None:
            await self.poller.stop()  # late full-text passes included
        if self.fulltext is not None:
            self.fulltext.reader.close()
        if self.worker is not None:
            await self.worker.stop()
        for task in self._tasks:
            if not task.done():
                task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for session in (self._session, self._chat_feeds_session):
            if session is not None:
                await session.close()
        log.info("background work stopped")


def _stop_on_signals(stop: asyncio.Event) -> None:
    """Until polling installs aiogram's own handlers, SIGINT/SIGTERM end the start-up wait."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(sig, stop.set)


def _routes(
    servers: HttpServers,
    services: Services,
    bot: Bot,
    dp: Dispatcher,
    watch: TelegramWatch,
    background: Background,
) -> WebhookEndpoint | None:
    """/healthz and /metrics on METRICS_LISTEN, the webhook on WEBHOOK_LISTEN (if set)."""
    settings = services.settings
    if settings.metrics_listen is not None:
        health = HealthCheck(
            services.repo,
            bot,
            watch,
            worker_running=background.worker_running,
            clock=services.clock,
        )
        routes = ops_routes(health, services.metrics, pending_count(services.repo))
        servers.add(settings.metrics_listen, routes)
    if settings.webhook_url is None or settings.webhook_secret is None:
        return None
    endpoint = WebhookEndpoint(dp, bot, settings.webhook_secret)
    servers.add(settings.webhook_listen, [endpoint.route(settings.webhook_path)])
    return endpoint


async def run_bot(settings: Settings) -> None:
    stop = asyncio.Event()
    _stop_on_signals(stop)
    repo = await Repository.open(settings.database_url)
    servers = HttpServers()
    try:
        services = await Services.create(settings, repo)
        budget = build_budget(settings)
        bot = build_bot(settings, budget)
        watch = TelegramWatch(services.metrics)
        bot.session.middleware(watch)  # after the budget's: it sees every real request
        dp = build_dispatcher(services)
        background = Background(services, budget)
        endpoint = _routes(servers, services, bot, dp, watch, background)
        try:
            await servers.start()  # /healthz answers while Telegram is still awaited
            ready = await wait_for_telegram(bot, stop) is not None and not stop.is_set()
        except BaseException:
            await bot.session.close()
            raise
        if not ready:
            await bot.session.close()
            return
        dp.startup.register(background.start)
        dp.shutdown.register(background.stop)
        if endpoint is None:
            await leave_webhook(bot)
            await dp.start_polling(bot, handle_signals=True, close_bot_session=True)
            return
        try:
            await run_webhook(dp, bot, endpoint, servers, settings, stop)
        finally:
            await bot.session.close()
    finally:
        await servers.stop()
        await repo.close()
