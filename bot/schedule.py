"""How often to poll a feed: follow its own publication rhythm, within bounds.

A feed that publishes every 20 s loses a journalist minutes at a fixed 2-minute interval, while
one that publishes twice a day wastes 700 requests a day. So each feed's rate is learnt from the
publication times its own body lists (there from the very first fetch), and the interval is
chosen so a poll finds about ``target`` new items: ``interval = target / rate``, clamped.

The rate is read over the feed's newest ``WINDOW`` items: the window is short for a busy feed
(a burst shows within a poll or two) and long for a quiet one (one item does not fake a busy
day). It is kept as "``items`` items since ``since``", so it keeps decaying between fetches
that bring nothing new (a 304 at night): ``items / (now - since)`` shrinks as the silence grows.
That alone slows down only hyperbolically after a burst (ten items in a minute still read as
ten an hour an hour later), so the silence since the newest item also caps the rate: after a
gap of ``s`` seconds the feed is taken to publish at most ``SILENCE_ITEMS / s``: the interval
then grows with the silence (by a quarter of it at every poll with the default target). A
Poisson feed is rarely silent for twice its mean gap, so a steady feed is hardly slowed (agency
p95 in bench/schedule.py 27.8 → 29.4 s), while after a burst an hourly feed is back at the
maximum in about 2.5 hours instead of about ten.

Pure: no clock, no I/O; the poller persists the rhythm and the chosen interval with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = ["WINDOW", "Plan", "Reason", "Rhythm", "SchedulePolicy", "feed_ttl", "learn", "plan"]

WINDOW = 10  # newest items whose publication times measure the rate
SILENCE_ITEMS = 2.0  # after a silence of s seconds, at most this many items per s
_MIN_SPAN = 1.0  # seconds; items stamped in the same second are not an infinite rate
_HEAD_BYTES = 64 * 1024  # <ttl> and sy:* live in the channel head, before the items


class Reason(StrEnum):
    """Why a feed's interval is what it is (shown in /feeds)."""

    NO_HISTORY = "no_history"  # nothing learnt yet: POLL_INTERVAL_SECONDS
    LEARNT = "learnt"  # target / learnt rate
    MIN = "min"  # the rate asks for more often than POLL_MIN_INTERVAL_SECONDS
    MAX = "max"  # the rate asks for less often than POLL_MAX_INTERVAL_SECONDS
    TTL = "ttl"  # the feed's <ttl> / sy:updatePeriod asks for at least this often
    FIXED = "fixed"  # POLL_ADAPTIVE=false
    BACKOFF = "backoff"  # failing: backing off (or the server's Retry-After)


@dataclass(frozen=True)
class SchedulePolicy:
    """The operator's settings for the schedule."""

    base: float = 120.0  # POLL_INTERVAL_SECONDS: no history yet, or fixed polling
    minimum: float = 15.0
    maximum: float = 1800.0
    target: float = 0.5  # new items a poll should find on average
    adaptive: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.minimum <= self.maximum:
            raise ValueError("poll interval bounds must satisfy 0 < minimum <= maximum")
        if self.base <= 0 or self.target <= 0:
            raise ValueError("base interval and target must be positive")


@dataclass(frozen=True)
class Rhythm:
    """A feed's learnt rate: ``items`` published since ``since`` (None: nothing learnt), the
    newest of them at ``latest``."""

    items: int = 0
    since: datetime | None = None
    latest: datetime | None = None

    def rate(self, now: datetime) -> float | None:
        """Items per second as of ``now``; it decays while nothing new is published."""
        if self.since is None or self.items <= 0:
            return None
        rate = self.items / max(_MIN_SPAN, (now - self.since).total_seconds())
        if self.latest is not None:
            silence = max(_MIN_SPAN, (now - self.latest).total_seconds())
            rate = min(rate, SILENCE_ITEMS / silence)
        return rate


@dataclass(frozen=True)
class Plan:
    interval: float  # seconds, before jitter
    reason: Reason


def learn(previous: Rhythm, published: Iterable[datetime], now: datetime) -> Rhythm:
    """The rhythm the feed's listed publication times show now.

    Times at or after ``now`` are unknown ones (the parser stamps missing and future dates with
    the fetch time) and do not count; a feed with fewer than two real times teaches nothing and
    keeps what was learnt before.
    """
    times = sorted({t for t in published if t < now}, reverse=True)[:WINDOW]
    if len(times) < 2:
        return previous
    return Rhythm(items=len(times), since=times[-1], latest=times[0])


def plan(rhythm: Rhythm, now: datetime, policy: SchedulePolicy, ttl: float | None = None) -> Plan:
    """The next interval for a healthy feed and the reason for it (failures: see backoff)."""
    if not policy.adaptive:
        return Plan(policy.base, Reason.FIXED)
    rate = rhythm.rate(now)
    if rate is None:
        chosen = Plan(policy.base, Reason.NO_HISTORY)
    else:
        wanted = policy.target / rate if rate > 0 else policy.maximum
        if wanted < policy.minimum:
            chosen = Plan(policy.minimum, Reason.MIN)
        elif wanted > policy.maximum:
            chosen = Plan(policy.maximum, Reason.MAX)
        else:
            chosen = Plan(wanted, Reason.LEARNT)
    if ttl is not None and ttl > 0:
        cap = max(ttl, policy.minimum)
        if chosen.interval > cap:
            chosen = Plan(cap, Reason.TTL)
    return chosen


_TTL = re.compile(rb"<ttl>\s*(\d{1,7})\s*</ttl>", re.IGNORECASE)
_PERIOD = re.compile(rb"<sy:updatePeriod>\s*(\w+)\s*</sy:updatePeriod>", re.IGNORECASE)
_FREQUENCY = re.compile(rb"<sy:updateFrequency>\s*(\d{1,6})\s*</sy:updateFrequency>", re.I)
_PERIODS = {
    b"hourly": 3600.0,
    b"daily": 86400.0,
    b"weekly": 7 * 86400.0,
    b"monthly": 30 * 86400.0,
    b"yearly": 365 * 86400.0,
}


def feed_ttl(body: bytes) -> float | None:
    """Seconds the feed says it may go unchecked (``<ttl>`` minutes, or ``sy:updatePeriod``
    divided by ``sy:updateFrequency``); None when it says nothing usable."""
    head = body[:_HEAD_BYTES]
    candidates: list[float] = []
    if (match := _TTL.search(head)) is not None and int(match.group(1)) > 0:
        candidates.append(int(match.group(1)) * 60.0)
    if (period := _PERIOD.search(head)) is not None:
        seconds = _PERIODS.get(period.group(1).lower())
        frequency = _FREQUENCY.search(head)
        times = int(frequency.group(1)) if frequency is not None else 1
        if seconds is not None and times > 0:
            candidates.append(seconds / times)
    return min(candidates) if candidates else None
