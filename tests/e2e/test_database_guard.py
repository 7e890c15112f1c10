"""One bot process per SQLite file: a second one is refused at once; a killed one is replaced.

Two processes on one file would both poll Telegram (409 Conflict for one of them at a time)
and each keep its own subscription index, alerting chats that unsubscribed through the other.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from tests.e2e.conftest import BotFactory, FeedServer, lenta_items, say
from tests.support.botapi import BotApiStub

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("engine", ["sqlite"])]

USER = 801


async def test_a_second_bot_on_the_same_database_exits_and_a_killed_one_can_be_replaced(
    stub: BotApiStub, feeds: FeedServer, make_bot: BotFactory
) -> None:
    feed = feeds.add("wire", lenta_items(3))
    first = make_bot(FEEDS=feed.url)
    await first.start(stub)
    await say(stub, USER, "/sub нефть")
    url = first.settings["DATABASE_URL"]
    path = url.removeprefix("sqlite:///")

    second = make_bot(FEEDS=feed.url, DATABASE_URL=url)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=second.workdir,
        env=second.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()

    assert proc.returncode == 3, err.decode(errors="replace")
    assert err.decode().splitlines() == [
        f"database error: {path} is already in use by another bot process (pid {first.pid}); "
        "run one process per database"
    ]
    assert out == b""
    assert first.running()

    await first.kill()  # SIGKILL: no chance to release anything
    third = make_bot(FEEDS=feed.url, DATABASE_URL=url)
    await third.start(stub)
    listing = await say(stub, USER, "/list")
    assert "нефть" in listing.text
