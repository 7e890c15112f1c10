"""The quiet-hours and digest timing rule: across midnight, across daylight saving changes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.digests.rule import Plan, hold_until, in_quiet_hours, next_wall_time
from storage import DeliverySchedule

MOSCOW = ZoneInfo("Europe/Moscow")  # UTC+3, no DST
BERLIN = ZoneInfo("Europe/Berlin")  # DST: 2026-03-29 02:00→03:00, 2026-10-25 03:00→02:00
NIGHT = (23 * 60, 8 * 60)


def at(zone: ZoneInfo, *fields: int) -> datetime:
    return datetime(*fields, tzinfo=zone).astimezone(UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        ((2026, 5, 1, 22, 59), False),
        ((2026, 5, 1, 23, 0), True),
        ((2026, 5, 1, 23, 59), True),
        ((2026, 5, 2, 0, 0), True),
        ((2026, 5, 2, 7, 59), True),
        ((2026, 5, 2, 8, 0), False),
        ((2026, 5, 2, 12, 0), False),
    ],
)
def test_quiet_hours_that_span_midnight_hold_from_their_start_until_their_end(
    local: tuple[int, ...], quiet: bool
) -> None:
    assert in_quiet_hours(at(MOSCOW, *local), MOSCOW, NIGHT) is quiet


def test_quiet_hours_within_one_day_do_not_wrap_and_equal_ends_mean_none() -> None:
    lunch = (13 * 60, 14 * 60)
    assert in_quiet_hours(at(MOSCOW, 2026, 5, 1, 13, 30), MOSCOW, lunch)
    assert not in_quiet_hours(at(MOSCOW, 2026, 5, 1, 23, 30), MOSCOW, lunch)
    assert not in_quiet_hours(at(MOSCOW, 2026, 5, 1, 3, 0), MOSCOW, (180, 180))


def test_an_alert_before_midnight_in_quiet_hours_waits_until_the_end_of_them_next_morning() -> (
    None
):
    plan = Plan(MOSCOW, quiet=NIGHT)
    assert hold_until(at(MOSCOW, 2026, 5, 1, 23, 30), plan) == at(MOSCOW, 2026, 5, 2, 8, 0)
    assert hold_until(at(MOSCOW, 2026, 5, 2, 3, 0), plan) == at(MOSCOW, 2026, 5, 2, 8, 0)


def test_an_alert_outside_quiet_hours_goes_at_once() -> None:
    plan = Plan(MOSCOW, quiet=NIGHT)
    assert hold_until(at(MOSCOW, 2026, 5, 2, 8, 0), plan) is None
    assert hold_until(at(MOSCOW, 2026, 5, 2, 22, 59, 59), plan) is None
    assert hold_until(at(MOSCOW, 2026, 5, 2, 3, 0), Plan(MOSCOW)) is None


def test_quiet_hours_end_on_the_wall_clock_through_the_spring_change() -> None:
    """The night of 29 March 2026 in Berlin is an hour shorter: 08:00 is 06:00 UTC, not 07:00."""
    plan = Plan(BERLIN, quiet=NIGHT)
    held = hold_until(at(BERLIN, 2026, 3, 28, 23, 30), plan)
    assert held == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    assert held.astimezone(BERLIN).hour == 8


def test_quiet_hours_end_on_the_wall_clock_through_the_autumn_change() -> None:
    plan = Plan(BERLIN, quiet=NIGHT)
    held = hold_until(at(BERLIN, 2026, 10, 24, 23, 30), plan)
    assert held == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
    assert held.astimezone(BERLIN).hour == 8


def test_a_wall_time_skipped_by_the_spring_change_is_the_first_moment_after_the_gap() -> None:
    after = at(BERLIN, 2026, 3, 29, 0, 0)
    moment = next_wall_time(after, 2 * 60 + 30, BERLIN)
    assert moment == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert moment.astimezone(BERLIN).hour == 3


def test_a_wall_time_repeated_by_the_autumn_change_is_its_first_occurrence() -> None:
    after = at(BERLIN, 2026, 10, 25, 0, 0)
    moment = next_wall_time(after, 2 * 60 + 30, BERLIN)
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, not CET
    # and the next one is a day later, not an hour later
    assert next_wall_time(moment, 2 * 60 + 30, BERLIN) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_an_hourly_digest_is_due_at_the_next_top_of_the_local_hour() -> None:
    plan = Plan(MOSCOW, schedule=DeliverySchedule.HOURLY)
    assert hold_until(at(MOSCOW, 2026, 5, 1, 14, 5), plan) == at(MOSCOW, 2026, 5, 1, 15, 0)
    assert hold_until(at(MOSCOW, 2026, 5, 1, 14, 0), plan) == at(MOSCOW, 2026, 5, 1, 15, 0)
    kolkata = ZoneInfo("Asia/Kolkata")  # UTC+5:30: the local hour, not the UTC one
    hourly = Plan(kolkata, schedule=DeliverySchedule.HOURLY)
    assert hold_until(at(kolkata, 2026, 5, 1, 14, 5), hourly) == at(kolkata, 2026, 5, 1, 15, 0)


def test_a_daily_digest_is_due_at_its_local_time_today_or_tomorrow() -> None:
    plan = Plan(MOSCOW, schedule=DeliverySchedule.DAILY, digest_at=9 * 60)
    assert hold_until(at(MOSCOW, 2026, 5, 1, 7, 0), plan) == at(MOSCOW, 2026, 5, 1, 9, 0)
    assert hold_until(at(MOSCOW, 2026, 5, 1, 9, 0), plan) == at(MOSCOW, 2026, 5, 2, 9, 0)


def test_an_hourly_digest_due_in_quiet_hours_waits_for_their_end() -> None:
    plan = Plan(MOSCOW, schedule=DeliverySchedule.HOURLY, quiet=NIGHT)
    assert hold_until(at(MOSCOW, 2026, 5, 1, 22, 30), plan) == at(MOSCOW, 2026, 5, 2, 8, 0)
    assert hold_until(at(MOSCOW, 2026, 5, 2, 7, 30), plan) == at(MOSCOW, 2026, 5, 2, 8, 0)
    assert hold_until(at(MOSCOW, 2026, 5, 2, 8, 30), plan) == at(MOSCOW, 2026, 5, 2, 9, 0)
