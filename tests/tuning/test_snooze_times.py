"""«Отложить»: an hour, or until 08:00 on the chat's own clock (DST-safe)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.i18n import texts
from bot.tuning.snooze import Snooze, awake, next_morning, snooze_until
from bot.views.tuning import span_label
from storage import Subscription

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("now", "zone", "until"),
    [
        # 22:30 in Moscow (19:30 UTC): tomorrow 08:00 Moscow = 05:00 UTC.
        (datetime(2026, 2, 2, 19, 30, tzinfo=UTC), MOSCOW, datetime(2026, 2, 3, 5, 0, tzinfo=UTC)),
        # 02:00 in Moscow: this morning's 08:00, not a day later.
        (datetime(2026, 2, 1, 23, 0, tzinfo=UTC), MOSCOW, datetime(2026, 2, 2, 5, 0, tzinfo=UTC)),
        # 08:00 exactly: the next one.
        (datetime(2026, 2, 2, 5, 0, tzinfo=UTC), MOSCOW, datetime(2026, 2, 3, 5, 0, tzinfo=UTC)),
        # The night clocks go forward in Berlin (29 March 2026): 08:00 CEST is 06:00 UTC.
        (
            datetime(2026, 3, 28, 22, 0, tzinfo=UTC),
            BERLIN,
            datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
        ),
        # And back (25 October 2026): 08:00 CET is 07:00 UTC.
        (
            datetime(2026, 10, 24, 21, 0, tzinfo=UTC),
            BERLIN,
            datetime(2026, 10, 25, 7, 0, tzinfo=UTC),
        ),
    ],
)
def test_till_morning_is_the_next_eight_oclock_on_the_chats_clock(
    now: datetime, zone: ZoneInfo, until: datetime
) -> None:
    assert next_morning(now, zone) == until
    assert snooze_until(Snooze.MORNING, now, zone, timedelta(hours=1)) == until


def test_the_short_snooze_is_the_configured_span_from_now() -> None:
    now = datetime(2026, 2, 2, 10, 41, tzinfo=UTC)
    span = timedelta(minutes=45)

    assert snooze_until(Snooze.HOUR, now, MOSCOW, span) == now + span


def test_a_snooze_whose_moment_passed_reads_as_none() -> None:
    now = datetime(2026, 2, 2, 10, 41, tzinfo=UTC)
    base = Subscription(1, 1, "Лавров", False, now)
    running = Subscription(2, 1, "Песков", False, now, snoozed_until=now + timedelta(minutes=1))
    ended = Subscription(3, 1, "Рубио", False, now, snoozed_until=now - timedelta(minutes=1))

    assert [s.snoozed_until for s in awake([base, running, ended], now)] == [
        None,
        now + timedelta(minutes=1),
        None,
    ]


@pytest.mark.parametrize(
    ("minutes", "lang", "label"),
    [
        (60, "ru", "1 час"),
        (120, "ru", "2 часа"),
        (300, "ru", "5 часов"),
        (90, "ru", "90 минут"),
        (1, "ru", "1 минуту"),
        (0.25, "ru", "15 секунд"),
        (60, "en", "1 hour"),
        (45, "en", "45 minutes"),
    ],
)
def test_the_short_snooze_is_named_on_its_button_as_configured(
    minutes: float, lang: str, label: str
) -> None:
    assert span_label(minutes, texts(lang)) == label
