"""How often to poll a feed: follow its own publication rhythm, within bounds.

A feed that publishes every 20 s loses a journalist minutes at a fixed 2-minute interval, while
one that publishes twice a day wastes 700 requests a day. So each feed's rate is learnt from the
publication times its own body lists (there from the very first fetch), and the interval is
chosen so a poll finds about ``target`` new items: ``interval = target / rate``, clamped.

The rate is the newest items' count over the time since the oldest of them (the silence since
the newest counts as time with nothing published, so the rate keeps decaying between fetches
that bring nothing new, a 304 at night). How many items: as many as agree. Windows of the
newest 3, 5, 8, 13 and up to ``WINDOW`` items are read shortest first, and a longer one is
used only while its rate is within the noise of every shorter one (Lepski's rule: ``AGREE``
standard errors, on a log scale): a steady feed is read over 20 items (little noise), while
after a rise or fall only the items since the change count. The silence since the newest item
also caps the rate at ``SILENCE_ITEMS / s``, so the interval grows by a third of the silence
at every silent poll once the silence is longer than the feed's usual gaps.

Measured in bench/schedule.py (``--change``, 100 Poisson feeds per row, median polls after the
change until the interval is within x2 of what the new rate calls for; the single fixed
10-item window with a 2-item silence cap before): a rate tripling 3-4 polls (was 6), a rate
falling to a third 6-7 polls (was 9-11). Falling cannot be told much sooner: a Poisson feed
is silent for one or two of its mean gaps (2-4 polls) every few gaps, and a cap that reacted
to that (``SILENCE_ITEMS = 1``: 3-6 polls) took steady agency feeds' p95 to 43 s. Steady feeds
with the defaults: agency p50/p95 9.6/35.0 s (was 9.3/29.4), 1349 requests/hour against fixed
120 s's 1680 (was 1422), feeds of a few items a day at 1800 s.

A feed without dates learns from when its new items were first seen (the poll that found
them), spread over the time since the previous poll; its first fetch starts the watch, so a
quiet undated feed slows down from the silence alone.

Pure: no clock, no I/O; the poller persists the rhythm and the chosen interval with its reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

__all__ = [
    "WINDOW",
    "Plan",
    "Reason",
    "Rhythm",
    "SchedulePolicy",
    "feed_ttl",
    "first_seen",
    "learn",
    "plan",
]

WINDOW = 20  # newest items the rate may be read over, when they agree
WINDOWS = (3, 5, 8, 13)  # shorter windows a longer one must agree with
AGREE = 1.0  # z: a longer window agrees when within AGREE / sqrt(gaps) of a shorter one (log)
SILENCE_ITEMS = 1.5  # after a silence of s seconds, at most this many items per s
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
    """A feed's learnt rate: ``items`` publications, the oldest at ``since`` and the newest at
    ``latest`` (None: nothing learnt)."""

    items: int = 0
    since: datetime | None = None
    latest: datetime | None = None

    def rate(self, now: datetime) -> float | None:
        """Items per second as of ``now``; it decays while nothing new is published."""
        if self.since is None or self.items < 1:
            return None
        rate = math.inf
        if self.items >= 2:
            rate = (self.items - 1) / max(_MIN_SPAN, (now - self.since).total_seconds())
        silence = max(_MIN_SPAN, (now - (self.latest or self.since)).total_seconds())
        return min(rate, SILENCE_ITEMS / silence)


@dataclass(frozen=True)
class Plan:
    interval: float  # seconds, before jitter
    reason: Reason


def _window(times: list[datetime], now: datetime) -> int:
    """How many of the newest ``times`` (newest first) the rate is read over: the most whose
    rate every shorter window agrees with, within that shorter window's noise."""
    sizes = [k for k in WINDOWS if k < len(times)] + [len(times)]
    rates: list[tuple[int, float]] = []
    for k in sizes:
        rate = (k - 1) / max(_MIN_SPAN, (now - times[k - 1]).total_seconds())
        if any(abs(math.log(rate / r)) > AGREE / math.sqrt(n - 1) for n, r in rates):
            break
        rates.append((k, rate))
    return rates[-1][0]


def first_seen(count: int, previous_poll: datetime | None, now: datetime) -> list[datetime]:
    """When ``count`` undated items found by the poll at ``now`` were probably published:
    spread evenly over the time since the previous poll (where a Poisson feed's items fall on
    average), or all at ``now`` when there was none."""
    if previous_poll is None or previous_poll >= now:
        return [now] * count
    step = (now - previous_poll) / count if count else now - previous_poll
    return [previous_poll + step * (k + 0.5) for k in range(count)]


def _spread(rhythm: Rhythm) -> list[datetime]:
    """The learnt window as evenly spaced times (undated feeds keep no list of their own)."""
    if rhythm.since is None or rhythm.items < 1:
        return []
    latest = rhythm.latest or rhythm.since
    if rhythm.items == 1:
        return [latest]
    step = (latest - rhythm.since) / (rhythm.items - 1)
    return [rhythm.since + step * k for k in range(rhythm.items)]


def learn(
    previous: Rhythm,
    published: Iterable[datetime],
    now: datetime,
    seen: Sequence[datetime] | None = None,
) -> Rhythm:
    """The rhythm the feed's listed publication times show now.

    Times at or after ``now`` are unknown ones (the parser stamps missing and future dates with
    the fetch time) and do not count. A feed with fewer than two real times learns from
    ``seen`` instead: when its new items were first seen (see first_seen), added to what was
    learnt before; None means this fetch cannot tell (the first one finds everything "new"),
    and then the fetch itself is the start of the watch: an anchor that lets the silence alone
    slow a quiet undated feed down.
    """
    times = sorted({t for t in published if t < now}, reverse=True)[:WINDOW]
    if len(times) < 2:
        if seen is None:
            return previous if previous.since is not None else Rhythm(1, now, now)
        if not seen:
            return previous
        times = sorted([*_spread(previous), *seen], reverse=True)[:WINDOW]
        if len(times) < 2:
            return Rhythm(1, times[0], times[0])
    used = _window(times, now)
    return Rhythm(items=used, since=times[used - 1], latest=times[0])


def plan(rhythm: Rhythm, now: datetime, policy: SchedulePolicy, ttl: float | None = None) -> Plan:
    """The next interval for a healthy feed and the reason for it (failures: see backoff)."""
    if not policy.adaptive:
        return Plan(policy.base, Reason.FIXED)
    rate = rhythm.rate(now)
    if rate is not None and rhythm.items < 2:  # watched, nothing seen: only the silence tells
        rate = None if policy.target / rate <= policy.base else rate
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
