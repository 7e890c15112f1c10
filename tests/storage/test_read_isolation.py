"""No task reads another task's unfinished transaction; a transaction reads its own writes.

The delivery worker reads pending deliveries while the poller's ingest transaction may still
roll back: if it could see those rows it would send an alert whose record then vanishes, and
the alert would be sent again later.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Database, NewDelivery, Repository
from tests.conftest import NOW
from tests.storage.test_repositories import _chat, _feed_with_item

INSERT_CHAT = "INSERT INTO chats (id, type, created_at, updated_at) VALUES (?, 'private', 0, 0)"


class Rollback(Exception):
    """Raised by a test to roll a transaction back."""


@pytest.fixture(params=["file", "memory"])
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}" if request.param == "file" else ":memory:"
    database = await Database.open(url)
    yield database
    await database.close()


async def _hold_open(
    db: Database, chat_id: int, written: asyncio.Event, done: asyncio.Event
) -> None:
    """Write a row in a transaction, say so, wait, and roll back."""
    with pytest.raises(Rollback):
        async with db.transaction():
            await db.execute(INSERT_CHAT, (chat_id,))
            written.set()
            await done.wait()
            raise Rollback


async def test_a_read_does_not_see_a_row_another_task_wrote_in_a_transaction_it_rolls_back(
    db: Database,
) -> None:
    written, done = asyncio.Event(), asyncio.Event()
    writer = asyncio.create_task(_hold_open(db, 1, written, done))
    await written.wait()

    reader = asyncio.create_task(db.fetchval("SELECT COUNT(*) FROM chats WHERE id = 1"))
    await asyncio.sleep(0.05)  # the reader's turn, while the transaction is still open
    done.set()
    seen = await reader
    await writer

    assert seen == 0
    assert await db.fetchval("SELECT COUNT(*) FROM chats") == 0


async def test_a_transaction_reads_its_own_uncommitted_writes(db: Database) -> None:
    with pytest.raises(Rollback):
        async with db.transaction():
            await db.execute(INSERT_CHAT, (7,))
            assert await db.fetchval("SELECT COUNT(*) FROM chats WHERE id = 7") == 1
            assert [r[0] for r in await db.fetchall("SELECT id FROM chats")] == [7]
            raise Rollback
    assert await db.fetchval("SELECT COUNT(*) FROM chats") == 0


async def test_a_read_right_after_a_commit_sees_it(db: Database) -> None:
    await db.execute(INSERT_CHAT, (3,))
    assert await db.fetchval("SELECT id FROM chats") == 3


async def test_reads_of_a_file_database_do_not_wait_for_an_open_transaction(
    tmp_path: Path,
) -> None:
    db = await Database.open(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    written, done = asyncio.Event(), asyncio.Event()
    writer = asyncio.create_task(_hold_open(db, 1, written, done))
    try:
        await written.wait()
        count = await asyncio.wait_for(db.fetchval("SELECT COUNT(*) FROM chats"), 10)
        assert count == 0
    finally:
        done.set()
        await writer
        await db.close()


async def test_the_delivery_worker_cannot_pick_up_an_alert_whose_ingest_rolls_back(
    repo: Repository,
) -> None:
    await _chat(repo)
    _, item_id = await _feed_with_item(repo)
    queued, done = asyncio.Event(), asyncio.Event()

    async def ingest() -> None:
        with pytest.raises(Rollback):
            async with repo.db.transaction():
                await repo.deliveries.enqueue([NewDelivery(100, item_id, (1,), ("Лавров",))], NOW)
                queued.set()
                await done.wait()
                raise Rollback  # e.g. the next insert of the same batch failed

    task = asyncio.create_task(ingest())
    await queued.wait()
    due = await repo.deliveries.due(NOW, limit=10)
    done.set()
    await task

    assert due == []
    assert await repo.deliveries.due(NOW, limit=10) == []


async def test_a_task_started_inside_a_transaction_does_not_join_another_one_later(
    db: Database,
) -> None:
    """Its inherited context once said "in a transaction"; after that one ended, it must wait
    for the lock like anyone else instead of writing into whatever transaction is open."""
    go = asyncio.Event()

    async def late_write() -> None:
        await go.wait()
        await db.execute(INSERT_CHAT, (2,))

    async with db.transaction():
        child = asyncio.create_task(late_write())
    written, done = asyncio.Event(), asyncio.Event()
    other = asyncio.create_task(_hold_open(db, 1, written, done))
    await written.wait()
    go.set()
    await asyncio.sleep(0.05)  # the child's write, while the other transaction is open
    done.set()
    await other
    await child

    assert [r[0] for r in await db.fetchall("SELECT id FROM chats")] == [2]
