"""A story merged into an older one (a report fitting both showed they are one happening):
its items, its mutes and any report still decided under its old key belong to the kept story."""

from __future__ import annotations

from datetime import timedelta

from storage import Repository, story_key
from tests.conftest import NOW
from tests.storage.test_recent_stories import ALICE, BOB, _chats, _feed, _report

A, B, C = "1:first", "2:second", "3:third"


async def _stories(repo: Repository, item_ids: list[int]) -> list[str | None]:
    items = [await repo.items.get(item_id) for item_id in item_ids]
    return [i.story if i is not None else "gone" for i in items]


async def test_the_absorbed_storys_items_take_the_kept_key_and_others_stay(
    repo: Repository,
) -> None:
    feed = await _feed(repo, "http://127.0.0.1/a")
    ids = [
        await _report(repo, feed, "a1", A, 0),
        await _report(repo, feed, "b1", B, 1),
        await _report(repo, feed, "b2", B, 2),
        await _report(repo, feed, "c1", C, 3),
    ]
    await repo.story_merges.merge([(B, A)], NOW)
    assert await _stories(repo, ids) == [A, A, A, C]
    await repo.story_merges.merge([(B, A)], NOW)  # told twice: nothing more changes
    assert await _stories(repo, ids) == [A, A, A, C]


async def test_a_report_decided_under_a_merged_key_is_stored_under_the_kept_one(
    repo: Repository,
) -> None:
    feed = await _feed(repo, "http://127.0.0.1/a")
    await _report(repo, feed, "a1", A, 0)
    await _report(repo, feed, "b1", B, 1)
    await repo.story_merges.merge([(B, A)], NOW)
    late = await _report(repo, feed, "b9", B, 5)  # another process had not heard yet
    unrelated = await _report(repo, feed, "x1", story_key(feed, "x1"), 6)
    assert await _stories(repo, [late, unrelated]) == [A, story_key(feed, "x1")]


async def test_merges_chain_so_the_oldest_story_keeps_every_report(repo: Repository) -> None:
    feed = await _feed(repo, "http://127.0.0.1/a")
    first = await _report(repo, feed, "c1", C, 0)
    await repo.story_merges.merge([(C, B)], NOW)
    await repo.story_merges.merge([(B, A)], NOW + timedelta(minutes=1))
    late = await _report(repo, feed, "c9", C, 5)
    assert await _stories(repo, [first, late]) == [A, A]
    assert await repo.story_merges.resolve([C, B, A]) == {C: A, B: A}


async def test_a_muted_fragment_keeps_the_merged_story_muted(repo: Repository) -> None:
    await _chats(repo)
    await repo.tuning.mute(ALICE, B, NOW)
    await repo.tuning.mute(BOB, A, NOW)
    await repo.tuning.mute(BOB, B, NOW)  # muted both: one mute remains, nothing fails
    await repo.story_merges.merge([(B, A)], NOW)
    assert await repo.tuning.muted(A, [ALICE, BOB], NOW) == {ALICE, BOB}
    assert await repo.tuning.muted(B, [ALICE, BOB], NOW) == set()


async def test_retention_forgets_aliases_with_the_items_they_could_name(repo: Repository) -> None:
    await repo.story_merges.merge([(B, A)], NOW)
    await repo.story_merges.merge([(C, A)], NOW + timedelta(days=3))
    assert await repo.story_merges.prune(NOW + timedelta(days=1)) == 1
    assert await repo.story_merges.resolve([B, C]) == {C: A}
