"""Exponential backoff, the one rule for retrying: feeds, alerts and reaching Telegram.

A delay doubles with each consecutive failure up to a cap, so a failing peer is not hammered
yet is tried again soon once it recovers.
"""

from __future__ import annotations

__all__ = ["doubled"]

_MAX_EXPONENT = 62  # 2**62 already exceeds any cap; avoids float overflow on huge counts


def doubled(base: float, times: int, *, cap: float) -> float:
    """`base` doubled `times` times (none for `times` ≤ 0), never more than `cap`."""
    return min(cap, base * 2.0 ** min(max(times, 0), _MAX_EXPONENT))
