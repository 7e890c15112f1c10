"""When to poll a feed next: its interval when healthy, exponential backoff when failing.

A failing feed must not be hammered (it may be down or rate-limiting us) but must recover by
itself, so the delay doubles per consecutive failure up to a cap, and a success (failures=0)
returns to the base interval at once. Jitter spreads feeds that failed together (one outage)
so they do not retry in lockstep.
"""

from __future__ import annotations

import random

from bot.backoff import doubled

__all__ = ["DEFAULT_CAP", "JITTER", "RETRY_AFTER_CAP", "next_delay"]

DEFAULT_CAP = 3600.0
JITTER = 0.1  # +/- 10 %
# A server may ask for any Retry-After; a typo (or malice) must not silence a feed for months.
RETRY_AFTER_CAP = 6 * 3600.0


def next_delay(
    failures: int,
    *,
    base: float,
    cap: float = DEFAULT_CAP,
    retry_after: float | None = None,
    rng: random.Random | None = None,
    retry_after_cap: float = RETRY_AFTER_CAP,
) -> float:
    """Seconds until the next fetch after ``failures`` consecutive failures.

    ``failures == 0``: ``base`` +/- 10 %. Otherwise ``base * 2**failures`` +/- 10 %, never more
    than ``cap`` (a base above the cap is kept: backoff never polls *more* often than healthy).
    A ``retry_after`` (seconds, from a 429/503) is a floor, itself limited to
    ``retry_after_cap`` so a silly value cannot park a feed for good.
    """
    if base <= 0:
        raise ValueError(f"base interval must be positive, got {base!r}")
    rng = rng or random.Random()
    factor = 1.0 + rng.uniform(-JITTER, JITTER)
    failures = max(0, failures)
    if failures == 0:
        delay = base * factor
    else:
        delay = doubled(base * factor, failures, cap=max(cap, base))
    if retry_after is not None and retry_after > 0:
        delay = max(delay, min(retry_after, max(retry_after_cap, cap)))
    return delay
