"""How `/quiet` reads what people type."""

from __future__ import annotations

import pytest

from bot.digests.parse import hhmm, parse_quiet, parse_time


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("23-8", (23 * 60, 8 * 60)),
        ("23:30–07:45", (23 * 60 + 30, 7 * 60 + 45)),
        (" 22.00 - 6.30 ", (22 * 60, 6 * 60 + 30)),
        ("13-14", (13 * 60, 14 * 60)),
        ("0-24", None),
        ("22-24", (22 * 60, 0)),
        ("25-8", None),
        ("23:60-8", None),
        ("8-8", None),
        ("вечером", None),
        ("23", None),
    ],
)
def test_quiet_hours_are_read_as_a_range_of_local_times(
    typed: str, hours: tuple[int, int] | None
) -> None:
    assert parse_quiet(typed) == hours


def test_times_are_shown_as_hours_and_minutes() -> None:
    assert hhmm(8 * 60) == "08:00"
    assert hhmm(23 * 60 + 5) == "23:05"


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("9", 540), ("9:00", 540), ("18.30", 18 * 60 + 30), ("24:00", 0), ("25", None), ("x", None)],
)
def test_a_daily_digest_time_is_read_as_a_local_time(typed: str, minutes: int | None) -> None:
    assert parse_time(typed) == minutes
