"""The limiter keeps us inside Telegram's windows, measured with its own (fake) clock."""

from __future__ import annotations

import itertools

import pytest

from bot.delivery import DeliveryLimits, RateLimiter
from tests.support.clock import FakeClock


def _start_times(limiter: RateLimiter, clock: FakeClock, count: int) -> list[float]:
    """Each send (to its own chat) starts exactly when allowed and is answered at once."""
    times = []
    for n in range(count):
        clock.advance(limiter.overall_delay())
        limiter.begin(n)
        times.append(clock.monotonic())
        limiter.record(n, is_group=False)
    return times


def _max_in_window(times: list[float], window: float = 1.0) -> int:
    return max(sum(1 for u in times if t <= u < t + window) for t in times)


@pytest.mark.parametrize(
    ("rate", "burst", "most_per_second"),
    [(25.0, 1.5, 26), (28.0, 1.5, 29), (28.0, 1.0, 28), (10.0, 3.0, 12)],
)
def test_no_one_second_window_holds_more_than_rate_plus_burst(
    rate: float, burst: float, most_per_second: int
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(DeliveryLimits(rate=rate, burst=burst), clock.monotonic)
    times = _start_times(limiter, clock, 300)
    assert _max_in_window(times) <= most_per_second
    assert len(times) / (times[-1] - times[0]) == pytest.approx(rate, rel=0.02)


def test_an_idle_bucket_does_not_save_up_a_burst() -> None:
    clock = FakeClock()
    limiter = RateLimiter(DeliveryLimits(rate=28.0, burst=1.5), clock.monotonic)
    clock.advance(3600.0)
    times = _start_times(limiter, clock, 60)
    assert _max_in_window(times) <= 29


def test_a_private_chat_waits_its_interval_plus_margin_after_the_last_send_finished() -> None:
    clock = FakeClock()
    limiter = RateLimiter(DeliveryLimits(chat_interval=1.0, margin=0.05), clock.monotonic)
    assert limiter.chat_delay(7) == 0.0
    limiter.begin(7)
    limiter.record(7, is_group=False)
    assert limiter.chat_delay(7) == pytest.approx(1.05)
    assert limiter.chat_delay(8) == 0.0  # other chats are not affected
    clock.advance(1.05)
    assert limiter.chat_delay(7) == 0.0


def test_a_group_gets_at_most_its_quota_per_window() -> None:
    clock = FakeClock()
    limits = DeliveryLimits(chat_interval=1.0, margin=0.05, group_per_window=20, group_window=60)
    limiter = RateLimiter(limits, clock.monotonic)
    sends = []
    for _ in range(45):
        clock.advance(limiter.chat_delay(-100))
        sends.append(clock.monotonic())
        limiter.begin(-100)
        limiter.record(-100, is_group=True)
    assert _max_in_window(sends, 60.0) <= 20
    gaps = [b - a for a, b in itertools.pairwise(sends)]
    assert min(gaps) >= 1.05 - 1e-9


def test_the_hard_window_counts_sends_in_flight_and_finished_within_the_last_second() -> None:
    clock = FakeClock()
    limiter = RateLimiter(DeliveryLimits(window_cap=3, window=1.0), clock.monotonic)
    for chat_id in (1, 2):
        limiter.begin(chat_id)
        limiter.record(chat_id, is_group=False)
    limiter.begin(3)  # a third send, still waiting for its answer
    assert limiter.window_delay() > 0  # however slow that answer, a fourth must not start
    clock.advance(0.5)
    limiter.record(3, is_group=False)
    assert limiter.window_delay() == pytest.approx(0.5, abs=1e-3)  # the first finish expires
    clock.advance(0.5)
    assert limiter.window_delay() == 0.0


def test_a_pause_defers_every_send() -> None:
    clock = FakeClock()
    limiter = RateLimiter(DeliveryLimits(rate=25.0), clock.monotonic)
    limiter.begin(1)
    limiter.pause_all(3.0)
    assert limiter.overall_delay() >= 3.0
    limiter.pause_chat(5, 10.0)
    assert limiter.chat_delay(5) == pytest.approx(10.0)


def test_a_chat_with_a_send_in_flight_is_not_ready_however_long_the_answer_takes() -> None:
    clock = FakeClock()
    limiter = RateLimiter(DeliveryLimits(chat_interval=1.0, margin=0.05), clock.monotonic)
    limiter.begin(7)
    clock.advance(30.0)
    assert limiter.busy(7)
    assert limiter.chat_delay(7) > 0
    limiter.record(7, is_group=False)
    assert not limiter.busy(7)
    assert limiter.chat_delay(7) == pytest.approx(1.05)


def test_idle_chats_are_forgotten_so_memory_follows_active_chats() -> None:
    clock = FakeClock()
    limiter = RateLimiter(DeliveryLimits(), clock.monotonic)
    for chat_id in range(1, 600):
        limiter.begin(chat_id)
        limiter.record(chat_id, is_group=False)
        clock.advance(0.2)
    assert limiter.tracked_chats() < 100


@pytest.mark.parametrize(
    "bad",
    [
        {"rate": 0},
        {"burst": 0.5},
        {"chat_interval": -1},
        {"group_per_window": 0},
        {"group_window": 0},
    ],
)
def test_nonsense_limits_are_refused(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="invalid delivery limits"):
        DeliveryLimits(**bad)  # type: ignore[arg-type]
