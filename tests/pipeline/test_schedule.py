"""The poller follows each feed's rhythm over local HTTP: busy feeds often, quiet ones rarely."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from aiohttp import web

from bot.schedule import Reason
from tests.conftest import NOW
from tests.pipeline.conftest import Rig, dated_feed
from tests.support.feedserver import serve


async def next_in(rig: Rig) -> tuple[float, str]:
    """Seconds to the feed's next fetch (jittered) and the stored reason for its interval."""
    feed = await rig.feed()
    assert feed.schedule is not None
    return (feed.next_fetch_at - rig.clock()).total_seconds(), feed.schedule.reason


async def poll_at(rig: Rig, seconds: float, published: list[datetime]) -> tuple[float, str]:
    rig.clock.advance(seconds)
    rig.site.body = dated_feed(published)
    await rig.poll()
    return await next_in(rig)


async def test_a_feed_that_turns_busy_is_polled_ever_more_often(rig: Rig) -> None:
    published = [NOW - timedelta(hours=3 * k) for k in range(1, 11)]  # a few a day
    quiet = await poll_at(rig, 0, published)
    waits: list[tuple[float, str]] = []
    burst = rig.clock()
    for _ in range(4):  # then a breaking story: an item every 20 s, going on
        wait = waits[-1][0] if waits else quiet[0]
        upto = (rig.clock() - burst).total_seconds() + wait
        published = [p for p in published if p <= burst]
        published += [burst + timedelta(seconds=s) for s in range(20, int(upto) + 1, 20)]
        waits.append(await poll_at(rig, wait, published))

    assert quiet[1] == Reason.MAX and quiet[0] >= 1800 * 0.9
    assert waits[1][1] == Reason.MIN and waits[-1][0] <= 15 * 1.1


async def test_a_busy_feed_that_falls_silent_is_polled_ever_less_often(rig: Rig) -> None:
    published = [NOW - timedelta(seconds=30 * k) for k in range(1, 21)]
    waits = [await poll_at(rig, 0, published)]
    while rig.clock() - NOW < timedelta(minutes=30):  # night: nothing new, 304s
        waits.append(await poll_at(rig, waits[-1][0], published))

    seconds = [w for w, _ in waits]
    assert waits[0][0] <= 16.5
    assert seconds[-1] > 6 * seconds[0] and waits[-1][1] == Reason.LEARNT
    assert rig.site.requests[-1].get("If-None-Match")  # those were conditional GETs


async def test_a_feed_without_dates_is_polled_at_the_base_interval(rig: Rig) -> None:
    rig.site.body = dated_feed([]).replace(
        b"</channel>", b"<item><title>A</title><link>https://example.com/a</link></item></channel>"
    )
    await rig.poll()

    wait, reason = await next_in(rig)
    assert reason == Reason.NO_HISTORY and 108 <= wait <= 132


async def test_a_quiet_feed_s_ttl_caps_its_interval(rig: Rig) -> None:
    body = dated_feed([NOW - timedelta(hours=5 * k) for k in range(1, 11)])
    rig.site.body = body.replace(b"<channel>", b"<channel><ttl>10</ttl>")
    await rig.poll()

    wait, reason = await next_in(rig)
    assert reason == Reason.TTL and 540 <= wait <= 660


async def test_every_fetch_is_counted_for_the_requests_per_hour(rig: Rig) -> None:
    rig.site.body = dated_feed([NOW - timedelta(minutes=k) for k in range(1, 5)])
    for _ in range(3):
        await rig.poll()
        rig.clock.advance(600)
    rig.clock.advance(1900)  # the first fetch (at 0 s) is now 3700 s old

    assert await rig.repo.feeds.fetches_since(rig.clock() - timedelta(hours=1)) == 2


async def test_no_more_than_two_requests_at_once_go_to_one_host(rig: Rig) -> None:
    running, most = 0, 0
    release = asyncio.Event()
    body = dated_feed([NOW - timedelta(minutes=k) for k in range(1, 5)])

    async def held(request: web.Request) -> web.Response:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await release.wait()
        running -= 1
        return web.Response(body=body, content_type="application/rss+xml")

    paths = [f"/f{n}" for n in range(5)]
    async with serve(dict.fromkeys(paths, held)) as server:
        await rig.repo.feeds.sync_defaults([server.url + p for p in paths], rig.clock())
        tasks = await rig.poller.poll_due()
        for _ in range(100):  # until two requests are in, then give a third the time to come
            if running >= 2:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)
        at_once = most
        release.set()
        outcomes = [await t for t in tasks]

    assert len(outcomes) == 5 and all(o.error is None for o in outcomes)
    assert at_once == 2  # the poller runs four fetches at once, but two to one host


def undated_feed(names: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{n}</title><link>https://example.com/{n}</link></item>" for n in names
    )
    return dated_feed([]).replace(b"</channel>", items.encode() + b"</channel>")


async def test_an_undated_feed_learns_its_rhythm_from_when_its_items_were_first_seen(
    rig: Rig,
) -> None:
    names = [f"old{k}" for k in range(5)]
    rig.site.body = undated_feed(names)
    await rig.poll()  # the first fetch: a backlog, nothing learnt
    waits = [await next_in(rig)]
    for poll in range(3):  # then three new items at every poll
        names = [f"new{poll}-{k}" for k in range(3)] + names
        rig.clock.advance(waits[-1][0])
        rig.site.body = undated_feed(names)
        await rig.poll()
        waits.append(await next_in(rig))

    assert waits[0][1] == Reason.NO_HISTORY
    assert waits[-1][0] <= 30 and waits[-1][1] in (Reason.LEARNT, Reason.MIN)


async def test_an_undated_feed_that_brings_nothing_new_is_polled_ever_less_often(
    rig: Rig,
) -> None:
    rig.site.body = undated_feed([f"old{k}" for k in range(5)])
    await rig.poll()
    waits = [await next_in(rig)]
    while rig.clock() - NOW < timedelta(hours=1):
        rig.clock.advance(waits[-1][0])
        await rig.poll()
        waits.append(await next_in(rig))

    assert waits[0][1] == Reason.NO_HISTORY
    assert waits[-1][0] > 4 * waits[0][0] and waits[-1][1] == Reason.LEARNT
