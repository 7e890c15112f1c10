"""Stored searches: what a /recent page button names instead of its query."""

from __future__ import annotations

from datetime import timedelta

from storage import Repository
from storage.searches import KEPT_PER_CHAT
from tests.conftest import NOW


async def _chat(repo: Repository, chat_id: int) -> None:
    await repo.chats.upsert(
        chat_id, type="private", title=None, language="ru", timezone="UTC", now=NOW
    )


async def test_a_search_is_remembered_once_per_chat_and_read_only_by_that_chat(
    repo: Repository,
) -> None:
    await _chat(repo, 1)
    await _chat(repo, 2)
    first = await repo.searches.remember(1, "Лавров -Песков", NOW)
    again = await repo.searches.remember(1, "Лавров -Песков", NOW + timedelta(minutes=1))
    other = await repo.searches.remember(2, "Лавров -Песков", NOW)

    assert first == again != other
    assert await repo.searches.query(1, first) == "Лавров -Песков"
    assert await repo.searches.query(2, first) is None
    assert await repo.searches.query(1, 0) is None


async def test_only_a_chats_latest_searches_are_kept(repo: Repository) -> None:
    await _chat(repo, 1)
    oldest = await repo.searches.remember(1, "запрос 0", NOW)
    for n in range(1, KEPT_PER_CHAT + 1):
        await repo.searches.remember(1, f"запрос {n}", NOW + timedelta(seconds=n))

    assert await repo.searches.query(1, oldest) is None
    newest = await repo.searches.remember(1, f"запрос {KEPT_PER_CHAT}", NOW + timedelta(hours=1))
    assert await repo.searches.query(1, newest) == f"запрос {KEPT_PER_CHAT}"
