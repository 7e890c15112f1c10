"""Process lifetime: open the database, start background work with polling or a webhook, serve
/healthz and /metrics, stop it all cleanly. Which work this process does when several share
one database (every process fetches and matches; the leader reads updates and sends) is
bot/roles.py's."""

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
from bot.cluster import ClusterSync
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
from bot.roles import lead_then, poll_updates
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


def claim_time(settings: Settings) -> timedelta:
    """How long a feed stays claimed by a process that died fetching it (on PostgreSQL a
    claim of a disconnected process is free at once; this covers a hung one): longer than
    any healthy fetch with its article pages."""
    return timedelta(seconds=3 * settings.fetch_timeout + settings.fulltext_timeout_seconds + 60)


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
    """The work besides answering updates. Every process fetches, matches and groups
    (`start`); the leading one also sends and prunes (`lead`): see bot/roles.py."""

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
        self.sync: ClusterSync | None = None

    async def start(self, bot: Bot) -> None:
        s = self._services
        settings = s.settings
        cluster = s.repo.cluster()
        limits = fetch_limits(settings)
        guard = SsrfGuard(allow_private=settings.allow_private_feed_hosts)
        self._session = make_session(limits)
        # Chats' own feeds get a session that resolves through the guard (no DNS rebinding).
        self._chat_feeds_session = make_session(limits, guard=guard)
        # Built in every process (the pipeline wakes it), run only in the leading one.
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
            catch_up = s.repo if cluster.shared else None
            self.stories = StoryDesk(s.analyzer, settings.story_window_hours, catch_up=catch_up)
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
            claim=claim_time(settings),
        )
        self.retention = Retention(s.repo, timedelta(days=settings.retention_days), clock=s.clock)
        self.sync = ClusterSync(cluster, s.subscription_service, self.worker.notify)
        self.sync.start()
        self._tasks = [
            asyncio.create_task(self.poller.run(), name="feed-poller"),
            *(
                [asyncio.create_task(self._restore_stories(self.stories), name="story-restore")]
                if self.stories is not None
                else []
            ),
        ]
        log.info("background work started: %d feeds", len(await s.repo.feeds.all_wanted()))

    async def lead(self, bot: Bot) -> None:
        """This process leads: send, prune, and keep the command menu."""
        assert self.worker is not None and self.retention is not None, "start() first"
        try:
            await register_commands(bot)
        except Exception:  # the menu is a nicety; never refuse to start over it
            log.warning("could not register the command menu", exc_info=True)
        self._worker_task = asyncio.create_task(self.worker.run(), name="delivery-worker")
        self._tasks += [
            self._worker_task,
            asyncio.create_task(self.retention.run(), name="retention"),
        ]

    async def resign(self) -> None:
        """The lead is lost: send nothing more (in-flight sends get the worker's grace)."""
        if self.retention is not None:
            self.retention.stop()
        if self.worker is not None:
            await self.worker.stop()

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
        if self.sync is not None:
            await self.sync.stop()
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
            if ready:
                await background.start(bot)
                await _serve(services, bot, dp, background, endpoint, servers, stop)
        finally:
            await background.stop()
            await bot.session.close()
    finally:
        await servers.stop()
        await repo.close()


async def _serve(
    services: Services,
    bot: Bot,
    dp: Dispatcher,
    background: Background,
    endpoint: WebhookEndpoint | None,
    servers: HttpServers,
    stop: asyncio.Event,
) -> None:
    """Polling: updates are read by the leading process only. Webhook: every process takes
    updates from the start; the leader's extra work starts when it leads."""
    cluster, metrics = services.repo.cluster(), services.metrics

    async def lead() -> None:
        await background.lead(bot)

    async def resign() -> None:
        await background.resign()

    if endpoint is None:

        async def poll(ended: asyncio.Event) -> None:
            await leave_webhook(bot)
            await poll_updates(dp, bot, ended)

        await lead_then(cluster, stop, metrics, lead, poll, resign)
        return

    async def idle(ended: asyncio.Event) -> None:
        await ended.wait()

    webhook = asyncio.ensure_future(
        run_webhook(dp, bot, endpoint, servers, services.settings, stop)
    )
    webhook.add_done_callback(lambda _task: stop.set())  # a webhook that fails ends it all
    try:
        await lead_then(cluster, stop, metrics, lead, idle, resign)
    finally:
        stop.set()
        await webhook
