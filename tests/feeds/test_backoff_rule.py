"""The one backoff rule (bot/backoff.py) that feeds, alerts and the connection retry share."""

from __future__ import annotations

from bot.backoff import doubled


def test_a_delay_doubles_per_failure_up_to_its_cap() -> None:
    assert [doubled(2.0, n, cap=20.0) for n in range(6)] == [2, 4, 8, 16, 20, 20]


def test_no_count_of_failures_overflows_or_goes_below_the_base() -> None:
    assert doubled(1.0, 10**9, cap=3600.0) == 3600.0
    assert doubled(5.0, -3, cap=60.0) == 5.0
