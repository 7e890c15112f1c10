"""ParsePool: feeds are parsed in worker processes, so a big parse never holds the event loop's
GIL, and a worker that dies fails only the feed it was parsing."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime

import pytest

import bot.feeds.parser
from bot.feeds import FetchResult, ParsedFeed, ParsePool, parse_feed
from tests.support.paths import sample

FETCHED_AT = datetime(2026, 2, 2, 12, 0, tzinfo=UTC)
URL = "https://www.interfax.ru/rss.asp"


def _fetched(body: bytes) -> FetchResult:
    return FetchResult(URL, 200, body, headers={"Content-Type": "application/rss+xml"})


def _parse_here_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_here(*args: object, **kwargs: object) -> ParsedFeed:
        raise AssertionError("parsed in the event loop's process")

    monkeypatch.setattr(bot.feeds.parser, "_parse", not_here)


async def test_a_feed_is_parsed_in_another_process_and_comes_back_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = sample("interfax-sample.xml")
    expected = parse_feed(body, url=URL, content_type="application/rss+xml", fetched_at=FETCHED_AT)
    _parse_here_fails(monkeypatch)
    pool = ParsePool(2)
    try:
        parsed = await pool.parse(_fetched(body), fetched_at=FETCHED_AT)
    finally:
        pool.close()

    assert parsed.error is None and parsed.items
    assert parsed == expected


async def test_many_feeds_at_once_wait_for_the_bounded_workers_and_all_get_parsed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = sample("interfax-sample.xml")
    _parse_here_fails(monkeypatch)
    pool = ParsePool(2)
    try:
        tasks = [
            asyncio.create_task(pool.parse(_fetched(body), fetched_at=FETCHED_AT))
            for _ in range(6)
        ]
        await asyncio.sleep(0)
        waiting = pool.waiting
        results = await asyncio.gather(*tasks)
    finally:
        pool.close()

    assert waiting == 4  # two parse, the others wait before the executor
    assert all(r.items and r.error is None for r in results)


async def test_a_worker_that_dies_fails_its_feed_and_the_next_parse_gets_a_new_worker() -> None:
    body = sample("interfax-sample.xml")
    pool = ParsePool(1)
    try:
        await pool.parse(_fetched(body), fetched_at=FETCHED_AT)  # a worker is running now
        for pid in list(pool._executor._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)  # as the kernel's OOM killer would
        died = await pool.parse(_fetched(body), fetched_at=FETCHED_AT)
        again = await pool.parse(_fetched(body), fetched_at=FETCHED_AT)
    finally:
        pool.close()

    assert died.error is not None and "parser process died" in died.error
    assert again.error is None and again.items


async def test_a_one_off_parse_stays_in_a_thread_of_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = ParsedFeed("parsed here", None, ())
    monkeypatch.setattr(bot.feeds.parser, "_parse", lambda *a, **k: here)
    pool = ParsePool(1, processes=False)
    try:
        parsed = await pool.parse(_fetched(b"<rss/>"), fetched_at=FETCHED_AT)
    finally:
        pool.close()

    assert parsed is here
