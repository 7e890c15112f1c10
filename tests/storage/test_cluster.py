"""Several processes on one PostgreSQL database share the work through the database itself:
a due feed is claimed by one process at a time, one process leads (a standby takes over when
the leader's connection goes), and a change is heard by every other process at commit.
SQLite has one process per file: there the process leads at once and claims of a previous
run are given back at start."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import asyncpg
import pytest

from storage import Repository
from storage.cluster import DELIVERIES, SUBSCRIPTIONS, Leadership
from tests.conftest import NOW
from tests.support.postgres import cut_leader_lock

pg_only = pytest.mark.parametrize("engine", ["postgres"])
LATER = NOW + timedelta(minutes=5)


async def _feeds(repo: Repository, count: int) -> None:
    await repo.feeds.sync_defaults([f"http://127.0.0.1/feed{i}" for i in range(count)], NOW)


async def _terminate(url: str, application_name: str) -> None:
    """Cut every connection of one process, as a dead host or a server restart would."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            application_name,
        )
    finally:
        await conn.close()


@pg_only
async def test_two_processes_claiming_at_once_never_get_the_same_feed(db_url: str) -> None:
    first, second = await Repository.open(db_url), await Repository.open(db_url)
    try:
        await _feeds(first, 40)
        claims = await asyncio.gather(
            *(r.feeds.claim_due(NOW, 7, until=LATER) for r in [first, second] * 4)
        )
        ids = [f.id for claim in claims for f in claim]
        assert len(ids) == len(set(ids)) == 40, "every due feed claimed exactly once"
        assert await first.feeds.claim_due(NOW, 10, until=LATER) == []
        assert await first.feeds.next_due_at() == LATER, "a claimed feed is due when it ends"
    finally:
        await first.close()
        await second.close()


@pg_only
async def test_a_recorded_fetch_ends_the_claim_and_an_expired_claim_is_free(db_url: str) -> None:
    first, second = await Repository.open(db_url), await Repository.open(db_url)
    try:
        await _feeds(first, 2)
        a, b = await first.feeds.claim_due(NOW, 10, until=LATER)
        await first.feeds.record_not_modified(a.id, now=NOW, next_fetch_at=NOW)
        held = await second.feeds.claim_due(NOW, 10, until=LATER + timedelta(hours=1))
        assert [f.id for f in held] == [a.id]
        # b's process hangs: past its claim, b is anyone's again.
        assert [f.id for f in await second.feeds.claim_due(LATER, 10, until=LATER)] == [b.id]
    finally:
        await first.close()
        await second.close()


@pg_only
async def test_the_claims_of_a_process_that_is_gone_are_free_at_once(db_url: str) -> None:
    first, second = await Repository.open(db_url), await Repository.open(db_url)
    try:
        await _feeds(first, 3)
        assert len(await first.feeds.claim_due(NOW, 10, until=LATER)) == 3
        assert await second.feeds.claim_due(NOW, 10, until=LATER) == []
        await first.close()  # as a SIGKILL would: the server drops its connections
        assert len(await second.feeds.claim_due(NOW, 10, until=LATER)) == 3
    finally:
        await second.close()


@pg_only
async def test_a_stopping_process_gives_back_only_its_own_claims(db_url: str) -> None:
    first, second = await Repository.open(db_url), await Repository.open(db_url)
    try:
        await _feeds(first, 4)
        mine = await first.feeds.claim_due(NOW, 2, until=LATER)
        theirs = await second.feeds.claim_due(NOW, 2, until=LATER)
        assert await first.feeds.release_claims() == 2
        again = await second.feeds.claim_due(NOW, 10, until=LATER)
        assert {f.id for f in again} == {f.id for f in mine}
        assert not {f.id for f in again} & {f.id for f in theirs}
    finally:
        await first.close()
        await second.close()


async def test_on_sqlite_the_claims_found_at_start_are_a_previous_runs(db_url: str) -> None:
    repo = await Repository.open(db_url)
    try:
        if repo.cluster().shared:
            pytest.skip("PostgreSQL gives back only its own: see the test above")
        await _feeds(repo, 2)
        await repo.feeds.claim_due(NOW, 10, until=LATER)
        assert await repo.feeds.release_claims() == 2
        assert len(await repo.feeds.claim_due(NOW, 10, until=LATER)) == 2
    finally:
        await repo.close()


async def test_sqlite_leads_at_once_and_hears_nothing(tmp_path: object) -> None:
    repo = await Repository.open(f"sqlite:///{tmp_path}/one.sqlite3")
    try:
        cluster = repo.cluster()
        assert not cluster.shared
        held = await cluster.lead(asyncio.Event())
        assert isinstance(held, Leadership) and not held.lost.is_set()
        stopped = asyncio.Event()
        stopped.set()
        assert await cluster.lead(stopped) is None
    finally:
        await repo.close()


@pg_only
async def test_one_process_leads_and_a_standby_takes_over_when_its_connection_goes(
    db_url: str,
) -> None:
    first, second = await Repository.open(db_url), await Repository.open(db_url)
    stop = asyncio.Event()
    try:
        leader = await first.cluster().lead(stop)
        assert leader is not None
        standby = asyncio.create_task(second.cluster().lead(stop))
        await asyncio.sleep(1.5)
        assert not standby.done(), "the lead is held: the standby waits"
        began = asyncio.get_running_loop().time()
        await _terminate(db_url, first.db.process_name)  # the leader's host vanished:
        await first.close()  # its connections are gone for good
        await asyncio.wait_for(leader.lost.wait(), 5)  # the leader hears it has lost the lead
        taken = await asyncio.wait_for(standby, 5)
        assert taken is not None
        took = asyncio.get_running_loop().time() - began
        assert took < 3, f"took {took:.1f}s"
        await taken.release()
        await leader.release()
    finally:
        stop.set()
        await second.close()


@pg_only
async def test_a_new_leader_sends_nothing_before_the_previous_one_is_gone(db_url: str) -> None:
    """Only the lock's connection broke: the old leader is still finishing its sends in
    flight (it resigns and exits). The standby takes the lock but waits for it to be gone."""
    first, second = await Repository.open(db_url), await Repository.open(db_url)
    stop = asyncio.Event()
    try:
        leader = await first.cluster().lead(stop)
        assert leader is not None
        standby = asyncio.create_task(second.cluster().lead(stop))
        assert await cut_leader_lock(db_url) == 1
        await asyncio.wait_for(leader.lost.wait(), 5)
        await asyncio.sleep(2.0)
        assert not standby.done(), "the old leader still has connections: not yet"
        await first.close()  # it has resigned and exits
        taken = await asyncio.wait_for(standby, 2)
        assert taken is not None
        await taken.release()
        await leader.release()
    finally:
        stop.set()
        await second.close()


@pg_only
async def test_a_released_lead_passes_on_and_a_stop_ends_the_wait(db_url: str) -> None:
    first, second = await Repository.open(db_url), await Repository.open(db_url)
    stop = asyncio.Event()
    try:
        leader = await first.cluster().lead(stop)
        assert leader is not None
        standby = asyncio.create_task(second.cluster().lead(stop))
        await leader.release()
        taken = await asyncio.wait_for(standby, 5)
        assert taken is not None and not taken.lost.is_set()
        waiting = asyncio.create_task(first.cluster().lead(stop))
        await asyncio.sleep(0.3)
        stop.set()
        assert await asyncio.wait_for(waiting, 5) is None
        await taken.release()
    finally:
        await first.close()
        await second.close()


@pg_only
async def test_changes_are_heard_at_commit_and_a_lost_connection_reloads(db_url: str) -> None:
    speaker, listener = await Repository.open(db_url), await Repository.open(db_url)
    heard: list[tuple[str, str]] = []
    connects = 0
    stop = asyncio.Event()

    async def on_connect() -> None:
        nonlocal connects
        connects += 1

    handlers = {
        SUBSCRIPTIONS: lambda p: heard.append((SUBSCRIPTIONS, p)),
        DELIVERIES: lambda p: heard.append((DELIVERIES, p)),
    }
    listening = asyncio.create_task(listener.cluster().listen(handlers, on_connect, stop))
    try:
        await _wait(lambda: connects == 1)
        await speaker.db.execute(
            "INSERT INTO chats (id, type, created_at, updated_at) VALUES (7, 'private', 0, 0)"
        )
        with pytest.raises(RuntimeError):
            async with speaker.db.transaction():
                await speaker.subscriptions.add(7, "никогда", NOW)
                raise RuntimeError("rolled back: never announced")
        sub = await speaker.subscriptions.add(7, "Лавров", NOW)
        await speaker.subscriptions.set_paused(sub.id, True)
        await _wait(lambda: len(heard) >= 2)
        assert heard == [(SUBSCRIPTIONS, str(sub.id))] * 2
        await _terminate(db_url, listener.db.process_name)
        await _wait(lambda: connects == 2, timeout=10)  # back, and told to reload
        await speaker.subscriptions.delete(sub.id)
        await _wait(lambda: len(heard) == 3)
    finally:
        stop.set()
        await asyncio.wait_for(listening, 5)
        await speaker.close()
        await listener.close()


async def _wait(predicate: object, timeout: float = 5.0) -> None:  # noqa: ASYNC109
    assert callable(predicate)
    loop = asyncio.get_running_loop()
    began = loop.time()
    while not predicate():
        assert loop.time() - began < timeout, "timed out"
        await asyncio.sleep(0.02)
