"""What the running bot counts for Prometheus: one registry per bot, handed out with the services.

prometheus-client keeps a process-wide default registry; nothing here touches it. Each
`Metrics` owns a `CollectorRegistry`, so two bots in one test process (or a component built
alone, which gets a private one nobody scrapes) never share a count.

The series, all prefixed `newsbot_`:
- `queue_depth`: pending deliveries (alerts and held-for-digest rows), read at scrape time;
- `alerts_sent_total`, `alerts_failed_total`: alerts Telegram accepted / gave up on;
- `telegram_429_total`: flood-control answers, from any request of the bot;
- `feed_fetches_total`, `feed_failures_total{reason}`: polls, and failed ones by a small fixed
  set of reasons (a label per error text would grow without bound);
- `alert_latency_seconds`: publication (the feed's date) → Telegram accepting the alert;
- `matching_seconds`: matching one item against every subscription.
"""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from bot.feeds import FetchResult

__all__ = ["CONTENT_TYPE", "FAILURE_REASONS", "Metrics", "failure_reason"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
FAILURE_REASONS = ("timeout", "http_4xx", "http_5xx", "too_big", "not_a_feed", "ssrf", "other")
# Seconds from publication to the alert: a poll interval or two is normal, an hour is late.
LATENCY_BUCKETS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600)
MATCHING_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


def failure_reason(result: FetchResult, error: str) -> str:
    """The label of a failed poll: from the HTTP status when there is one, else the error text
    the fetcher wrote (bot/feeds/fetcher.py); a fetch that worked but did not parse is
    `not_a_feed`."""
    if result.ok and result.body is not None:
        return "not_a_feed"
    text = error.lower()
    if "body larger than" in text:
        return "too_big"
    if result.status is not None and 400 <= result.status < 500:
        return "http_4xx"
    if result.status is not None and 500 <= result.status < 600:
        return "http_5xx"
    if "timed out" in text:
        return "timeout"
    if text.startswith("refused:"):
        return "ssrf"
    return "other"


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry(auto_describe=True)
        r = self.registry
        self.queue_depth = Gauge(
            "newsbot_queue_depth", "Pending deliveries (alerts queued or held)", registry=r
        )
        self.alerts_sent = Counter("newsbot_alerts_sent", "Alerts Telegram accepted", registry=r)
        self.alerts_failed = Counter(
            "newsbot_alerts_failed", "Alerts given up on (refused or out of attempts)", registry=r
        )
        self.telegram_429 = Counter(
            "newsbot_telegram_429", "Flood-control answers (429) from the Bot API", registry=r
        )
        self.feed_fetches = Counter("newsbot_feed_fetches", "Feed polls", registry=r)
        # Several processes on one PostgreSQL (bot/cluster.py): each one's share of the work.
        self.alerts_queued = Counter(
            "newsbot_alerts_queued", "Alerts this process matched and queued", registry=r
        )
        self.leader = Gauge(
            "newsbot_leader", "1 while this process leads (reads updates, sends)", registry=r
        )
        self.feed_failures = Counter(
            "newsbot_feed_failures", "Failed feed polls by reason", ["reason"], registry=r
        )
        for reason in FAILURE_REASONS:  # every series exists from the start, at 0
            self.feed_failures.labels(reason)
        self.alert_latency = Histogram(
            "newsbot_alert_latency_seconds",
            "Seconds from an item's publication to its alert being accepted",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.matching_seconds = Histogram(
            "newsbot_matching_seconds",
            "Seconds matching one item against the subscriptions",
            buckets=MATCHING_BUCKETS,
            registry=r,
        )

    def alert_sent(self, published_at: datetime, sent_at: datetime) -> None:
        self.alerts_sent.inc()
        # A feed dating its item in the future would give a negative latency: count it as 0.
        self.alert_latency.observe(max((sent_at - published_at).total_seconds(), 0.0))

    def feed_failed(self, result: FetchResult, error: str) -> None:
        self.feed_failures.labels(failure_reason(result, error)).inc()

    def render(self, queue_depth: int | None = None) -> bytes:
        """The text exposition format; the queue depth is read by the caller at scrape time."""
        if queue_depth is not None:
            self.queue_depth.set(queue_depth)
        return generate_latest(self.registry)
