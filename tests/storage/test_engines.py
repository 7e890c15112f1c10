"""Behaviour the repositories rely on that the two engines give differently by nature, held
the same on both (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from storage import ChatKind, DuplicateSubscriptionError, Language, Repository
from tests.conftest import NOW


async def _chat(repo: Repository) -> None:
    await repo.chats.upsert(
        1,
        type=ChatKind.PRIVATE,
        title=None,
        language=Language("ru"),
        timezone="Europe/Moscow",
        now=NOW,
    )


async def test_a_refused_duplicate_inside_a_transaction_leaves_the_rest_of_it_to_commit(
    repo: Repository,
) -> None:
    await _chat(repo)
    await repo.subscriptions.add(1, "нефть", NOW)

    async with repo.db.transaction():
        await repo.subscriptions.add(1, "газ", NOW)
        with pytest.raises(DuplicateSubscriptionError):
            await repo.subscriptions.add(1, "нефть", NOW)
        await repo.subscriptions.add(1, "уголь", NOW)

    queries = sorted(s.query for s in await repo.subscriptions.for_chat(1))
    assert queries == ["газ", "нефть", "уголь"]


async def test_an_insert_that_conflicts_counts_no_change(repo: Repository) -> None:
    await _chat(repo)
    before = repo.db.total_changes()
    await repo.db.execute(
        "INSERT INTO chats (id, type, created_at, updated_at) VALUES (1, 'private', 0, 0) "
        "ON CONFLICT DO NOTHING"
    )
    assert repo.db.total_changes() == before


async def test_an_insert_returning_that_conflicts_returns_nothing_and_counts_no_change(
    repo: Repository,
) -> None:
    await _chat(repo)
    before = repo.db.total_changes()
    inserted = await repo.db.insert_returning(
        "INSERT INTO chats (id, type, created_at, updated_at) VALUES (1, 'private', 0, 0) "
        "ON CONFLICT DO NOTHING RETURNING id"
    )
    assert inserted is None
    assert repo.db.total_changes() == before
