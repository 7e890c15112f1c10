"""Quiet hours as people type them: «23-8», «23:30–07:45», «off»."""

from __future__ import annotations

import re

from bot.digests.rule import DayMinutes

__all__ = ["HOURLY", "OFF", "hhmm", "parse_quiet", "parse_time"]

OFF = frozenset({"off", "no", "none", "выкл", "нет", "0"})
HOURLY = frozenset({"hourly", "hour", "час", "ежечасно"})
_TIME = r"(\d{1,2})(?:[:.](\d{2}))?"
_RANGE = re.compile(rf"^{_TIME}\s*[-–—]\s*{_TIME}$")
_ONE = re.compile(rf"^{_TIME}$")


def _minutes(hours: str, minutes: str | None) -> DayMinutes | None:
    h, m = int(hours), int(minutes or 0)
    if h == 24 and m == 0:
        h = 0
    if not (0 <= h < 24 and 0 <= m < 60):
        return None
    return h * 60 + m


def parse_quiet(typed: str) -> tuple[DayMinutes, DayMinutes] | None:
    """(from, until) in minutes after local midnight; None when it is not a time range or the
    two ends are the same moment (no quiet time at all)."""
    match = _RANGE.match(typed.strip())
    if match is None:
        return None
    start = _minutes(match.group(1), match.group(2))
    end = _minutes(match.group(3), match.group(4))
    if start is None or end is None or start == end:
        return None
    return start, end


def parse_time(typed: str) -> DayMinutes | None:
    """«9», «9:00», «18.30» as minutes after local midnight."""
    match = _ONE.match(typed.strip())
    return None if match is None else _minutes(match.group(1), match.group(2))


def hhmm(minutes: DayMinutes) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
