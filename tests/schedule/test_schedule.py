"""The adaptive poll schedule as a table: what a feed's publication times make of its interval."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.schedule import Reason, Rhythm, SchedulePolicy, feed_ttl, first_seen, learn, plan

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
POLICY = SchedulePolicy()  # 120 s with no history, 15..1800 s, half an item a poll


def every(seconds: float, count: int = 20, end: datetime = NOW) -> list[datetime]:
    """``count`` publication times ``seconds`` apart, the newest ``seconds`` before ``end``:
    read at ``end``, that is 19 gaps in 20 gaps' time (the silence since the newest counts)."""
    return [end - timedelta(seconds=seconds * k) for k in range(1, count + 1)]


def first_plan(published: list[datetime], ttl: float | None = None) -> tuple[float, Reason]:
    chosen = plan(learn(Rhythm(), published, NOW), NOW, POLICY, ttl)
    return round(chosen.interval), chosen.reason


@pytest.mark.parametrize(
    ("published", "ttl", "expected"),
    [
        pytest.param(every(20), None, (15, Reason.MIN), id="an item every 20 s: the minimum"),
        pytest.param(every(90), None, (47, Reason.LEARNT), id="every 90 s: half an item a poll"),
        pytest.param(every(600), None, (316, Reason.LEARNT), id="every 10 min: 5 min"),
        pytest.param(every(6 * 3600), None, (1800, Reason.MAX), id="four a day: the maximum"),
        pytest.param([], None, (120, Reason.NO_HISTORY), id="no items: the base interval"),
        pytest.param([NOW] * 5, None, (120, Reason.NO_HISTORY), id="undated items: base"),
        pytest.param(every(6 * 3600), 600.0, (600, Reason.TTL), id="ttl 10 min caps a quiet feed"),
        pytest.param(every(20), 600.0, (15, Reason.MIN), id="a ttl never slows a busy feed"),
        pytest.param(every(6 * 3600), 5.0, (15, Reason.TTL), id="a tiny ttl stops at the min"),
    ],
)
def test_the_first_fetch_learns_the_rhythm_from_the_listed_publication_times(
    published: list[datetime], ttl: float | None, expected: tuple[float, Reason]
) -> None:
    assert first_plan(published, ttl) == expected


def test_fixed_polling_ignores_the_rhythm() -> None:
    fixed = SchedulePolicy(base=120, adaptive=False)
    busy = learn(Rhythm(), every(30), NOW)

    assert plan(busy, NOW, fixed, ttl=60) == plan(Rhythm(), NOW, fixed)
    assert plan(busy, NOW, fixed).interval == 120
    assert plan(busy, NOW, fixed).reason == Reason.FIXED


def test_a_quiet_spell_slows_polling_down_even_when_nothing_new_arrives() -> None:
    """Night: a feed with an item every minute stops; 304s bring no dates, the rate decays."""
    rhythm = learn(Rhythm(), every(60), NOW)
    intervals = [plan(rhythm, NOW + timedelta(minutes=m), POLICY).interval for m in (0, 30, 120)]

    assert intervals[0] == pytest.approx(30, rel=0.06)
    assert intervals == sorted(intervals) and intervals[-1] >= 8 * intervals[0]


def test_a_burst_shortens_the_interval_within_a_poll_or_two() -> None:
    """An item every 10 minutes, then a breaking story: one every 20 s."""
    history = every(600)
    rhythm = learn(Rhythm(), history, NOW)
    before = plan(rhythm, NOW, POLICY).interval
    seen: list[float] = []
    clock, listed = NOW, list(history)
    for _ in range(2):
        poll = clock + timedelta(seconds=seen[-1] if seen else before)
        while clock + timedelta(seconds=20) <= poll:
            clock += timedelta(seconds=20)
            listed.append(clock)
        clock = poll
        rhythm = learn(rhythm, listed, clock)
        seen.append(plan(rhythm, clock, POLICY).interval)

    assert before == pytest.approx(300, rel=0.06)
    assert seen[-1] == POLICY.minimum


def test_after_a_burst_the_interval_grows_back_as_the_quiet_goes_on() -> None:
    burst = every(20, count=10)
    rhythm = learn(Rhythm(), burst, NOW)
    later = [NOW + timedelta(hours=h) for h in (0, 1, 3)]
    # one ordinary item an hour after the burst
    listed = [*burst, NOW + timedelta(minutes=50)]
    intervals = [plan(learn(rhythm, listed, t), t, POLICY).interval for t in later]

    assert intervals[0] == POLICY.minimum
    assert intervals == sorted(intervals) and intervals[-1] >= 500


def test_dates_that_teach_nothing_keep_what_was_learnt() -> None:
    learnt = learn(Rhythm(), every(600), NOW)

    assert learn(learnt, [NOW, NOW + timedelta(hours=1)], NOW) == learnt
    assert learn(learnt, [NOW - timedelta(hours=1)], NOW) == learnt


@pytest.mark.parametrize(
    ("head", "seconds"),
    [
        (b"<rss><channel><ttl>15</ttl><item/>", 900.0),
        (
            b"<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>",
            900.0,
        ),
        (b"<sy:updatePeriod>daily</sy:updatePeriod>", 86400.0),
        (b"<ttl>60</ttl><sy:updatePeriod>daily</sy:updatePeriod>", 3600.0),
        (b"<ttl>0</ttl><sy:updatePeriod>sometimes</sy:updatePeriod>", None),
        (b"<rss><channel><title>x</title>", None),
    ],
)
def test_the_feed_s_own_ttl_is_read_from_its_channel_head(
    head: bytes, seconds: float | None
) -> None:
    assert feed_ttl(head) == seconds


def test_bounds_that_contradict_each_other_are_refused() -> None:
    with pytest.raises(ValueError):
        SchedulePolicy(minimum=100, maximum=10)


def test_after_a_burst_polling_slows_down_as_fast_as_the_silence_shows() -> None:
    """A breaking story (ten items 20 s apart), then nothing: polled at each chosen interval,
    the interval grows with every poll and is back at the maximum within hours, not the ten
    it takes when only the newest ten items' span is read."""
    rhythm = learn(Rhythm(), every(20, count=10), NOW)
    clock, intervals = NOW, []
    while clock < NOW + timedelta(hours=4):
        chosen = plan(rhythm, clock, POLICY).interval
        intervals.append(chosen)
        if chosen == POLICY.maximum:
            break
        clock += timedelta(seconds=chosen)

    assert intervals[0] == POLICY.minimum
    assert intervals == sorted(intervals)
    assert intervals[-1] == POLICY.maximum
    assert clock - NOW <= timedelta(hours=2, minutes=30)
    assert intervals[10] >= 4 * intervals[0]  # ten polls later: already four times as long


def follow(before: float, after: float, polls: int) -> list[float]:
    """A feed publishing every ``before`` seconds publishes every ``after`` from NOW on; it is
    polled at each interval the schedule chooses. The intervals chosen at the ``polls`` polls
    after the switch (each sees every item published up to it, as a feed body lists them)."""
    listed = every(before)
    rhythm = learn(Rhythm(), listed, NOW)
    clock, intervals, newest = NOW, [plan(rhythm, NOW, POLICY).interval], NOW
    for _ in range(polls):
        clock += timedelta(seconds=intervals[-1])
        while newest + timedelta(seconds=after) <= clock:
            newest += timedelta(seconds=after)
            listed.append(newest)
        rhythm = learn(rhythm, listed, clock)
        intervals.append(plan(rhythm, clock, POLICY).interval)
    return intervals[1:]


@pytest.mark.parametrize(("before", "after"), [(600, 200), (400, 120)])
def test_a_rate_that_triples_is_followed_within_two_polls(before: float, after: float) -> None:
    want = POLICY.target * after
    assert any(want / 2 <= iv <= want * 2 for iv in follow(before, after, polls=2))


@pytest.mark.parametrize(("before", "after"), [(200, 600), (1200, 3600)])
def test_a_rate_that_drops_to_a_third_is_followed_from_the_third_poll_on(
    before: float, after: float
) -> None:
    want = min(POLICY.target * after, POLICY.maximum)
    assert all(want / 2 <= iv <= want * 2 for iv in follow(before, after, polls=8)[2:])


def undated_polls(found: int, polls: int) -> list[float]:
    """A feed without dates, polled at each chosen interval, ``found`` new items each time."""
    rhythm = learn(Rhythm(), [NOW] * 5, NOW)  # the first fetch: a backlog, no dates
    clock, intervals = NOW, [plan(rhythm, NOW, POLICY).interval]
    for _ in range(polls):
        previous, clock = clock, clock + timedelta(seconds=intervals[-1])
        seen = first_seen(found, previous, clock)
        rhythm = learn(rhythm, [clock] * 5, clock, seen=seen)
        intervals.append(plan(rhythm, clock, POLICY).interval)
    return intervals


def test_an_undated_busy_feed_learns_from_when_its_items_were_first_seen() -> None:
    intervals = undated_polls(found=4, polls=3)  # four new items every 2 minutes

    assert intervals[0] == POLICY.base
    assert intervals[1] <= POLICY.base / 4 and intervals[-1] <= 20


def test_an_undated_feed_that_brings_nothing_new_slows_down() -> None:
    intervals = undated_polls(found=0, polls=12)  # about 1 h 40 min of nothing

    assert intervals[0] == POLICY.base
    assert intervals == sorted(intervals) and intervals[-1] >= 10 * POLICY.base


def test_first_seen_spreads_a_poll_s_new_items_over_the_time_since_the_previous_poll() -> None:
    seen = first_seen(2, NOW - timedelta(minutes=2), NOW)

    assert seen == [NOW - timedelta(seconds=90), NOW - timedelta(seconds=30)]
    assert first_seen(1, None, NOW) == [NOW]
