"""How long «Отложить» silences a subscription: an hour, or until the chat's next morning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time, timedelta
from enum import IntEnum
from zoneinfo import ZoneInfo

from storage import Subscription

__all__ = ["MORNING", "Snooze", "awake", "next_morning", "snooze_until"]

MORNING = time(8, 0)  # «до утра»: 08:00 on the chat's wall clock


class Snooze(IntEnum):
    """The two choices under an alert, as the button carries them."""

    HOUR = 0
    MORNING = 1


def next_morning(now: datetime, zone: ZoneInfo) -> datetime:
    """The first 08:00 in `zone` after `now` (today's while it is still to come, so a snooze
    pressed at 02:00 ends at 08:00 the same morning, not a day later).

    Built on the wall clock of that day, so a day with a DST change is 23 or 25 hours long
    and 08:00 stays 08:00."""
    local = now.astimezone(zone)
    day = local.date()
    while True:
        moment = datetime.combine(day, MORNING, tzinfo=zone)
        if moment > local:
            return moment.astimezone(now.tzinfo)
        day += timedelta(days=1)


def snooze_until(choice: Snooze, now: datetime, zone: ZoneInfo, hour: timedelta) -> datetime:
    """When a snooze chosen at `now` ends; `hour` is the short snooze (SNOOZE_MINUTES)."""
    if choice is Snooze.MORNING:
        return next_morning(now, zone)
    return now + hour


def awake(subs: Sequence[Subscription], now: datetime) -> list[Subscription]:
    """`subs` as they stand at `now`: a snooze whose moment passed is shown as none (the
    matcher ignores it already; the stored moment is just left in the past)."""
    return [
        s if s.snoozed_until is None or s.snoozed_until > now else replace(s, snoozed_until=None)
        for s in subs
    ]
