"""When a chat's alert may go: now, or at the end of its quiet hours, or with its next digest.

Pure functions over aware datetimes. Local wall times (quiet hours, the daily digest's hour) are
turned into UTC moments through `zoneinfo`, never by adding hours to a local time, so daylight
saving changes move them as a clock on the wall would: a wall time skipped by the spring change
happens at the first moment after the gap, and one repeated in autumn at its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage import Chat, DeliverySchedule

__all__ = ["DayMinutes", "Plan", "hold_until", "in_quiet_hours", "next_wall_time", "plan_for"]

DayMinutes = int  # minutes after local midnight, 0..1439
_DAY = 24 * 60


@dataclass(frozen=True)
class Plan:
    """A chat's timing settings, as the rule needs them."""

    zone: ZoneInfo
    schedule: DeliverySchedule = DeliverySchedule.INSTANT
    digest_at: DayMinutes = 9 * 60
    quiet: tuple[DayMinutes, DayMinutes] | None = None


def plan_for(chat: Chat, zone: ZoneInfo) -> Plan:
    quiet = None
    if chat.quiet_from is not None and chat.quiet_until is not None:
        quiet = (chat.quiet_from, chat.quiet_until)
    return Plan(zone, chat.delivery_schedule, chat.digest_at, quiet)


def _minutes(moment: datetime, zone: ZoneInfo) -> DayMinutes:
    local = moment.astimezone(zone)
    return local.hour * 60 + local.minute


def in_quiet_hours(moment: datetime, zone: ZoneInfo, quiet: tuple[DayMinutes, DayMinutes]) -> bool:
    """Whether `moment` falls in [from, until) on the chat's wall clock; from > until spans
    midnight (23:00–08:00); from == until is no quiet time at all."""
    start, end = quiet
    now = _minutes(moment, zone)
    if start < end:
        return start <= now < end
    if start > end:
        return now >= start or now < end
    return False


def _wall(day: date, minutes: DayMinutes, zone: ZoneInfo) -> datetime:
    """The UTC moment the wall clock shows `minutes` on `day` (first occurrence; in a gap,
    the first moment after it)."""
    # fold=0: a repeated wall time is its first occurrence; a skipped one is read with the
    # offset before the gap, which is a moment after the gap: where the wall clock jumps to.
    local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)


def next_wall_time(after: datetime, minutes: DayMinutes, zone: ZoneInfo) -> datetime:
    """The first moment strictly after `after` at which the wall clock reads `minutes`."""
    day = after.astimezone(zone).date() - timedelta(days=1)
    for _ in range(4):
        moment = _wall(day, minutes, zone)
        if moment > after:
            return moment
        day += timedelta(days=1)
    raise AssertionError("a wall time recurs within three days")  # pragma: no cover


def _next_hour(after: datetime, zone: ZoneInfo) -> datetime:
    """The next top of a local hour (for whole-hour zones, the next UTC hour)."""
    local = after.astimezone(zone)
    floor = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    return floor + timedelta(hours=1)


def hold_until(now: datetime, plan: Plan) -> datetime | None:
    """When an alert arriving `now` may go out: None for at once, else the digest's moment.

    The schedule picks a moment (now, the next local hour, the next daily time); if that moment
    falls in quiet hours, the alert waits for the end of them.
    """
    if plan.schedule is DeliverySchedule.HOURLY:
        due = _next_hour(now, plan.zone)
    elif plan.schedule is DeliverySchedule.DAILY:
        due = next_wall_time(now, plan.digest_at % _DAY, plan.zone)
    else:
        due = now
    if plan.quiet is not None and in_quiet_hours(due, plan.zone, plan.quiet):
        due = next_wall_time(due, plan.quiet[1], plan.zone)
    return None if due == now else due
