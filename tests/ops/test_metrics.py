"""/metrics: the series the issue lists, in Prometheus' text format, one registry per bot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bot.feeds import FetchResult
from bot.metrics import FAILURE_REASONS, Metrics, failure_reason

URL = "https://example.com/rss"


def samples(metrics: Metrics, depth: int | None = None) -> dict[tuple[str, str], float]:
    """(sample name, its labels as 'k=v,…') -> value, parsed back from the exposition text."""
    text = metrics.render(depth).decode()
    return {
        (s.name, ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@pytest.mark.parametrize(
    ("result", "error", "reason"),
    [
        (
            FetchResult(URL, None, None, error="timed out after 30 s"),
            "timed out after 30 s",
            "timeout",
        ),
        (
            FetchResult(URL, None, None, error="connect timed out after 10 s"),
            "connect timed out after 10 s",
            "timeout",
        ),
        (
            FetchResult(URL, 404, None, error="HTTP 404 Not Found"),
            "HTTP 404 Not Found",
            "http_4xx",
        ),
        (FetchResult(URL, 429, None, error="HTTP 429"), "HTTP 429", "http_4xx"),
        (FetchResult(URL, 503, None, error="HTTP 503"), "HTTP 503", "http_5xx"),
        (
            FetchResult(URL, 200, None, error="body larger than 10 MiB"),
            "body larger than 10 MiB",
            "too_big",
        ),
        (FetchResult(URL, 200, b"<html>", error=None), "not an RSS or Atom feed", "not_a_feed"),
        (
            FetchResult(URL, None, None, error="refused: 10.0.0.1 is private"),
            "refused: 10.0.0.1 is private",
            "ssrf",
        ),
        (FetchResult(URL, None, None, error="connection refused"), "connection refused", "other"),
        (
            FetchResult(URL, None, None, error="DNS lookup failed for 'x'"),
            "DNS lookup failed for 'x'",
            "other",
        ),
    ],
)
def test_a_failed_poll_gets_one_of_a_few_fixed_reasons(
    result: FetchResult, error: str, reason: str
) -> None:
    assert failure_reason(result, error) == reason
    assert reason in FAILURE_REASONS


def test_every_listed_series_is_exposed_from_the_start() -> None:
    got = samples(Metrics(), depth=0)
    for name in (
        "newsbot_queue_depth",
        "newsbot_alerts_sent_total",
        "newsbot_alerts_failed_total",
        "newsbot_telegram_429_total",
        "newsbot_feed_fetches_total",
        "newsbot_alert_latency_seconds_count",
        "newsbot_matching_seconds_count",
    ):
        assert got[(name, "")] == 0, name
    for reason in FAILURE_REASONS:
        assert got[("newsbot_feed_failures_total", f"reason={reason}")] == 0


def test_an_alert_counts_once_and_its_latency_lands_in_its_bucket() -> None:
    metrics = Metrics()
    published = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)
    metrics.alert_sent(published, published + timedelta(seconds=42))
    metrics.alert_sent(published, published - timedelta(seconds=5))  # dated in the future
    got = samples(metrics)
    assert got[("newsbot_alerts_sent_total", "")] == 2
    assert got[("newsbot_alert_latency_seconds_bucket", "le=1.0")] == 1
    assert got[("newsbot_alert_latency_seconds_bucket", "le=30.0")] == 1
    assert got[("newsbot_alert_latency_seconds_bucket", "le=60.0")] == 2
    assert got[("newsbot_alert_latency_seconds_bucket", "le=3600.0")] == 2
    assert got[("newsbot_alert_latency_seconds_sum", "")] == 42


def test_two_bots_never_share_a_count_nor_touch_the_global_registry() -> None:
    one, two = Metrics(), Metrics()
    one.feed_failed(FetchResult(URL, 500, None, error="HTTP 500"), "HTTP 500")
    assert samples(one)[("newsbot_feed_failures_total", "reason=http_5xx")] == 1
    assert samples(two)[("newsbot_feed_failures_total", "reason=http_5xx")] == 0
    assert REGISTRY.get_sample_value("newsbot_feed_failures_total", {"reason": "http_5xx"}) is None
